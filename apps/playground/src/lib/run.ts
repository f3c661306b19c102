// One forward pass on a backend with timings: compile, first run, and the median of later runs.
import type { Backend, ModelSpec, Tensor, Weights } from '@tessera/spec';

export interface Timed {
  outputs: Record<string, Tensor>;
  compileMs: number;
  firstRunMs: number;
  medianMs: number;
  runs: number;
}

export async function timedRun(
  backend: Backend,
  spec: ModelSpec,
  weights: Weights,
  inputs: Record<string, Tensor>,
  repeats = 5,
): Promise<Timed> {
  const t0 = performance.now();
  const model = await backend.compile(spec, weights);
  const t1 = performance.now();
  try {
    const outputs = await model.run(inputs);
    const t2 = performance.now();
    const later: number[] = [];
    for (let i = 0; i < repeats; i++) {
      const s = performance.now();
      await model.run(inputs);
      later.push(performance.now() - s);
    }
    return {
      outputs,
      compileMs: t1 - t0,
      firstRunMs: t2 - t1,
      medianMs: median(later),
      runs: repeats,
    };
  } finally {
    await model.dispose();
  }
}

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** A short preview of a tensor's first values. */
export function preview(t: Tensor, count = 8): string {
  const values = Array.from(t.data.subarray(0, count), (v) =>
    t.dtype === 'int32' ? String(v) : v.toFixed(4),
  );
  return `[${values.join(', ')}${t.data.length > count ? ', …' : ''}]`;
}

/** The k most likely ids at the last time step of logits [1, T, V], with probabilities. */
export function topK(logits: Tensor, k: number): { id: number; p: number }[] {
  const [, t, v] = logits.shape;
  const off = (t - 1) * v;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < v; i++) max = Math.max(max, logits.data[off + i]);
  let sum = 0;
  const e = new Float64Array(v);
  for (let i = 0; i < v; i++) {
    e[i] = Math.exp(logits.data[off + i] - max);
    sum += e[i];
  }
  return Array.from(e, (x, id) => ({ id, p: x / sum }))
    .sort((a, b) => b.p - a.p || a.id - b.id)
    .slice(0, k);
}
