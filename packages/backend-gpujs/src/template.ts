// Plans that follow one dynamic dim (a decoder step's cache length, which grows by the step's
// positions every step) without recording the op kernels again. Recorded at two values of the
// dim, such plans differ only in the numbers their dynamic kernels take (shape numbers, see
// kernels/types.ts Num), the output sizes those kernels are told, and the shapes of the outputs;
// each of those is affine in the dim: v + k·(d − d₀) (strides and sizes are products of dims in
// which the cache length appears once). A third recording checks the fit; from then on a plan at
// any d ≥ d₀ is derived in one pass over the steps. Anything else that differs (a kernel baked
// for one size, a coordinate dropped where a dim is 1) is a mismatch, and the program records
// again, starting a fit from there. Slopes must be whole and positive, and only d ≥ d₀ is
// derived: shape code changes form only where a dim or stride is 0 or 1, which a number growing
// from d₀ never becomes, and a number the three recordings agree on is constant. (After a reset
// to a shorter prompt, plans below d₀ are recorded.)
import { checkRun, type ModeLimits, type Plan, type PlanArg, type Step } from './plan.js';

/** A plan and the shapes of its outputs (compile.ts's Recorded). */
export interface Shaped {
  plan: Plan;
  outputs: { shape: number[] }[];
}

/** Per step, the slope of its size and of each number argument; per output, of each dim. */
interface Slopes {
  steps: { size: number; args: number[] }[];
  outputs: number[][];
}

export interface Template<R extends Shaped> {
  base: R;
  at: number;
  slopes?: Slopes;
  /** The second recording the slopes were fitted to (a check must be at a third d). */
  fitted?: number;
  /** The fit predicted a third recording exactly. */
  verified: boolean;
}

/** (b − a) / delta; NaN (no fit) unless a whole number ≥ 0: shape numbers grow with the cache. */
function slope(a: number, b: number, delta: number): number {
  if (a === b) return 0;
  const k = (b - a) / delta;
  return Number.isInteger(k) && k > 0 ? k : Number.NaN;
}

/** Same array arguments: one object, or (a table recorded again) the same values. */
function sameArray(a: Float32Array, b: Float32Array): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/** Whether two plan arguments are the same but for a number; undefined when they cannot match. */
function argsMatch(a: PlanArg, b: PlanArg): 'number' | boolean {
  if (typeof a === 'number' || typeof b === 'number')
    return typeof a === 'number' && typeof b === 'number' ? 'number' : false;
  if (a instanceof Float32Array || b instanceof Float32Array)
    return a instanceof Float32Array && b instanceof Float32Array && sameArray(a, b);
  if ('slot' in a || 'slot' in b) return 'slot' in a && 'slot' in b && a.slot === b.slot;
  return a.input === b.input && a.length === b.length;
}

/** The slopes taking `a` (at d = da) to `b` (at db), or undefined where they differ otherwise. */
export function fit(a: Shaped, da: number, b: Shaped, db: number): Slopes | undefined {
  const delta = db - da;
  if (delta === 0 || a.plan.slots !== b.plan.slots) return undefined;
  if (a.plan.steps.length !== b.plan.steps.length || a.outputs.length !== b.outputs.length)
    return undefined;
  const steps: Slopes['steps'] = [];
  for (const [k, sa] of a.plan.steps.entries()) {
    const sb = b.plan.steps[k];
    if (sa.kernel !== sb.kernel || sa.out !== sb.out || sa.dynamic !== sb.dynamic) return undefined;
    if (sa.args.length !== sb.args.length) return undefined;
    // A static kernel is built for its size; a run-time argument of a dynamic one would be
    // made for one size.
    if (!sa.dynamic && sa.size !== sb.size) return undefined;
    const args: number[] = [];
    for (const [j, x] of sa.args.entries()) {
      const match = argsMatch(x, sb.args[j]);
      if (match === false) return undefined;
      if (sa.dynamic && typeof x === 'object' && !(x instanceof Float32Array) && 'make' in x)
        return undefined;
      args.push(match === 'number' ? slope(x as number, sb.args[j] as number, delta) : 0);
    }
    steps.push({ size: slope(sa.size, sb.size, delta), args });
  }
  const outputs: number[][] = [];
  for (const [k, oa] of a.outputs.entries()) {
    const ob = b.outputs[k];
    if (oa.shape.length !== ob.shape.length) return undefined;
    outputs.push(oa.shape.map((d, j) => slope(d, ob.shape[j], delta)));
  }
  const all = [...steps.flatMap((x) => [x.size, ...x.args]), ...outputs.flat()];
  return all.some(Number.isNaN) ? undefined : { steps, outputs };
}

/** The plan of `t` at d, checked against the variant's limits (sizes and loops grow with d). */
export function derive<R extends Shaped>(t: Template<R>, d: number, limits: ModeLimits): R {
  const slopes = t.slopes!;
  const delta = d - t.at;
  const steps = t.base.plan.steps.map((s, k): Step => {
    const ks = slopes.steps[k];
    if (!s.dynamic && ks.args.every((x) => x === 0)) return s;
    const args = s.args.map((a, j) => (ks.args[j] === 0 ? a : (a as number) + ks.args[j] * delta));
    const step = { ...s, size: s.size + ks.size * delta, args };
    if (s.dynamic) checkRun(limits, s.node, [step.size], s.loops, args);
    return step;
  });
  const outputs = t.base.outputs.map((o, k) => ({
    ...o,
    shape: o.shape.map((n, j) => n + slopes.outputs[k][j] * delta),
  }));
  return { ...t.base, plan: { ...t.base.plan, steps }, outputs };
}

/** Whether a derived plan is the recorded one (the check of a fit). */
export function samePlan(a: Shaped, b: Shaped): boolean {
  const s = fit(a, 0, b, 1);
  if (s === undefined) return false;
  return (
    s.steps.every((x) => x.size === 0 && x.args.every((v) => v === 0)) &&
    s.outputs.every((o) => o.every((v) => v === 0))
  );
}

/**
 * The plan at d for one shape class: derived from `t` when its fit is verified and d ≥ its
 * base, else `record(d)`, which also advances the fit (returns the template to keep).
 */
export function follow<R extends Shaped>(
  t: Template<R> | undefined,
  d: number,
  record: () => R,
  limits: ModeLimits,
): { plan: R; template: Template<R> | undefined } {
  if (t?.verified === true && d >= t.at) return { plan: derive(t, d, limits), template: t };
  const plan = record();
  const restart = { base: plan, at: d, verified: false };
  if (t === undefined) return { plan, template: restart };
  // A verified fit keeps serving d ≥ its base; below it (after a reset) plans are recorded.
  if (t.verified) return { plan, template: t };
  if (t.slopes === undefined) {
    if (d <= t.at) return { plan, template: restart };
    const slopes = fit(t.base, t.at, plan, d);
    return { plan, template: slopes === undefined ? restart : { ...t, slopes, fitted: d } };
  }
  if (d === t.fitted) return { plan, template: t };
  if (d > t.at && samePlan(derive(t, d, limits), plan))
    return { plan, template: { ...t, verified: true } };
  return { plan, template: restart };
}
