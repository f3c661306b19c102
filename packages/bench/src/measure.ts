// Timing: warm-up, then runs until `minRuns` runs or `minTimeMs` have passed, whichever comes
// first (but never fewer than `floorRuns`, so a slow model still gets a median of several);
// medians and 90th percentiles, never means, so one slow run does not move the figure.

/**
 * Latencies of one measurement: run count, median, 90th percentile and fastest, in milliseconds.
 */
export interface Timing {
  runs: number;
  medianMs: number;
  p90Ms: number;
  minMs: number;
  /** Alternating measurements: the median of each round's block, round by round. */
  roundMedianMs?: number[];
}

/**
 * The `q` quantile (0.5: the median) of ascending `sorted`, interpolated linearly; NaN when empty.
 */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

function summarize(times: number[]): Timing {
  const sorted = [...times].sort((a, b) => a - b);
  return {
    runs: sorted.length,
    medianMs: quantile(sorted, 0.5),
    p90Ms: quantile(sorted, 0.9),
    minMs: sorted[0],
  };
}

/**
 * How long to time: warm-up runs, then at least `minTimeMs` or `minRuns` (never fewer than
 * `floorRuns`); for alternation, the block length and the pause before each block.
 */
export interface MeasureOptions {
  warmup?: number;
  minTimeMs?: number;
  minRuns?: number;
  floorRuns?: number;
  /**
   * Alternating implementations: each runs in blocks of about this many milliseconds (at least
   * one run) before the next takes over. Blocks keep one runtime's idle threads, still spinning
   * after its run (ONNX Runtime's pools do), off the other's timings; 100 ms by default.
   */
  blockMs?: number;
  /** Alternating: an untimed pause before each block, 10 ms by default. */
  settleMs?: number;
}

/**
 * Times `fns` in turn, round after round, until the stopping rule holds; one Timing each. One fn:
 * `measure`'s rule. Several: every fn gets at least `floorRuns` runs and 3 rounds, and rounds go on
 * until the first has `minRuns` runs or `minTimeMs` per fn has passed.
 */
async function measureRounds(
  fns: (() => Promise<unknown>)[],
  options: MeasureOptions,
): Promise<Timing[]> {
  const {
    warmup = 2,
    minTimeMs = 1000,
    minRuns = 20,
    floorRuns = 5,
    blockMs = 100,
    settleMs = 10,
  } = options;
  const estimate = fns.map(() => 0);
  for (let i = 0; i < warmup; i++) {
    for (const [k, fn] of fns.entries()) {
      const t = performance.now();
      await fn();
      estimate[k] = performance.now() - t;
    }
  }
  // Blocks of about blockMs (the last warm-up run as the estimate), at most 50 runs.
  const block = fns.map((_, k) =>
    fns.length === 1
      ? 1
      : Math.min(50, Math.max(1, Math.ceil(blockMs / Math.max(estimate[k], 1e-3)))),
  );
  const minRounds = fns.length === 1 ? 0 : 3;
  const times: number[][] = fns.map(() => []);
  const rounds: number[][] = fns.map(() => []);
  const start = performance.now();
  const budget = minTimeMs * fns.length;
  const floor = Math.min(floorRuns, minRuns);
  for (let round = 0; ; round++) {
    const enough =
      round >= minRounds &&
      times.every((t) => t.length >= floor) &&
      (times[0].length >= minRuns || performance.now() - start >= budget);
    if (enough) break;
    // Each round starts with the next implementation, so none always follows the same one
    // (a run right after another runtime's block finds cold caches).
    for (let j = 0; j < fns.length; j++) {
      const k = (round + j) % fns.length;
      const fn = fns[k];
      // An untimed pause before each block lets the previous runtime's worker threads stop
      // spinning (ONNX Runtime's pools spin after a run) instead of competing with this one.
      if (fns.length > 1 && settleMs > 0) await new Promise((r) => setTimeout(r, settleMs));
      const blockTimes: number[] = [];
      for (let r = 0; r < block[k]; r++) {
        const t = performance.now();
        await fn();
        blockTimes.push(performance.now() - t);
      }
      times[k].push(...blockTimes);
      rounds[k].push(
        quantile(
          blockTimes.sort((a, b) => a - b),
          0.5,
        ),
      );
    }
  }
  return times.map((t, k) =>
    fns.length === 1 ? summarize(t) : { ...summarize(t), roundMedianMs: rounds[k] },
  );
}

/**
 * Times `fn`: `warmup` untimed runs (2), then runs until `minRuns` (20) or `minTimeMs` (1000), at
 * least `floorRuns` (5).
 */
export async function measure(
  fn: () => Promise<unknown>,
  options: MeasureOptions = {},
): Promise<Timing> {
  const [timing] = await measureRounds([fn], options);
  return timing;
}

/**
 * Times several implementations in alternation (a block of a, a block of b, ..., again), under one
 * stopping rule: a change in the machine's speed during the measurement reaches all alike, so
 * their ratios hold where back-to-back measurements would drift.
 */
export async function measureTogether(
  fns: (() => Promise<unknown>)[],
  options: MeasureOptions = {},
): Promise<Timing[]> {
  return measureRounds(fns, options);
}

/** Least-squares slope of log(y) against log(x): latency ∝ x^slope. */
export function fitExponent(xs: number[], ys: number[]): number {
  const lx = xs.map(Math.log);
  const ly = ys.map(Math.log);
  const mx = lx.reduce((s, v) => s + v, 0) / lx.length;
  const my = ly.reduce((s, v) => s + v, 0) / ly.length;
  let num = 0;
  let den = 0;
  lx.forEach((x, i) => {
    num += (x - mx) * (ly[i] - my);
    den += (x - mx) ** 2;
  });
  return num / den;
}

/** Samples the process's resident set size while `fn` runs; returns the peak growth in bytes. */
export async function peakRssGrowth<T>(
  fn: () => Promise<T>,
): Promise<{ value: T; growth: number }> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  try {
    const value = await fn();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { value, growth: Math.max(0, peak - before) };
  } finally {
    clearInterval(timer);
  }
}
