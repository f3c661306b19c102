// Timing: warm-up, then runs until `minRuns` runs or `minTimeMs` have passed, whichever comes
// first (but never fewer than `floorRuns`, so a slow model still gets a median of several);
// medians and 90th percentiles, never means, so one slow run does not move the figure.

export interface Timing {
  runs: number;
  medianMs: number;
  p90Ms: number;
  minMs: number;
}

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

export interface MeasureOptions {
  warmup?: number;
  minTimeMs?: number;
  minRuns?: number;
  floorRuns?: number;
}

/** Times `fns` in turn, round after round, until the stopping rule holds for each; one Timing each. */
async function measureRounds(
  fns: (() => Promise<unknown>)[],
  options: MeasureOptions,
): Promise<Timing[]> {
  const { warmup = 2, minTimeMs = 1000, minRuns = 20, floorRuns = 5 } = options;
  for (let i = 0; i < warmup; i++) for (const fn of fns) await fn();
  const times: number[][] = fns.map(() => []);
  const start = performance.now();
  const budget = minTimeMs * fns.length;
  while (
    times[0].length < Math.min(floorRuns, minRuns) ||
    (times[0].length < minRuns && performance.now() - start < budget)
  ) {
    for (const [k, fn] of fns.entries()) {
      const t = performance.now();
      await fn();
      times[k].push(performance.now() - t);
    }
  }
  return times.map(summarize);
}

export async function measure(
  fn: () => Promise<unknown>,
  options: MeasureOptions = {},
): Promise<Timing> {
  const [timing] = await measureRounds([fn], options);
  return timing;
}

/**
 * Times two implementations run for run in alternation (a, b, a, b, ...), with the same stopping
 * rule as `measure` applied to the pair: a change in the machine's load during the measurement
 * reaches both alike, so their ratio holds where two back-to-back measurements would drift.
 */
export async function measurePair(
  a: () => Promise<unknown>,
  b: () => Promise<unknown>,
  options: MeasureOptions = {},
): Promise<[Timing, Timing]> {
  const [ta, tb] = await measureRounds([a, b], options);
  return [ta, tb];
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
