// Checking a run's inputs against the spec before any kernel sees them.
import type { Dim } from './dims.js';
import { formatPath, InputError, type NamedIssue, SpecError } from './errors.js';
import { inferShapes } from './graph.js';
import { lengthsValueIssues } from './lengths.js';
import { type Limits, resolveLimits } from './limits.js';
import { type LoweredSpec, lowerAll } from './lower.js';
import type { TensorInfo } from './ops/common.js';
import { opDef } from './ops/registry.js';
import { parseRef } from './refs.js';
import type { ModelSpec } from './schema.js';
import { numel, type Tensor } from './tensor.js';

/** What checkInputs found while checking: the dims' sizes and every tensor's shape at them. */
export interface CheckedInputs {
  /** The size of every symbolic dim, e.g. { batch: 2, time: 16 }. */
  bindings: Record<string, number>;
  /** Every tensor's shape at those bindings (see inferShapes). */
  shapes: Map<string, TensorInfo>;
}

/**
 * For each int32 model input, the exclusive upper bound of its ids: the smallest bound that the
 * ops reading it declare (an embedding's table size).
 */
export function idRanges(spec: ModelSpec): Map<string, number> {
  const ranges = new Map<string, number>();
  for (const node of spec.nodes) {
    const def = opDef(node.op)!;
    node.input.forEach((name, k) => {
      const bound = def.idBound?.(node, k);
      if (bound === undefined || !Object.hasOwn(spec.inputs, name)) return;
      ranges.set(name, Math.min(ranges.get(name) ?? Number.POSITIVE_INFINITY, bound));
    });
  }
  return ranges;
}

/**
 * Names, dtypes, ranks, bound dims consistent across inputs, element counts, int ids in range,
 * the shape rules at the bound sizes, and the activation limit. Throws InputError listing every
 * problem by input name.
 */
export function checkInputs(
  spec: ModelSpec,
  inputs: Record<string, Tensor>,
  options: { limits?: Partial<Limits> } = {},
): CheckedInputs {
  const issues: NamedIssue[] = [];
  if (inputs === null || typeof inputs !== 'object')
    throw new InputError('inputs must be an object of tensors');
  const bindings: Record<string, number> = Object.create(null);
  const boundBy: Record<string, string> = Object.create(null);
  /** Inputs of the right dtype, whose values the ops may check. */
  const typed = new Set<string>();
  for (const name of Object.keys(inputs)) {
    if (!Object.hasOwn(spec.inputs, name)) {
      issues.push({
        name,
        message: `is not an input of this model (inputs: ${Object.keys(spec.inputs).join(', ')})`,
      });
    }
  }
  for (const [name, want] of Object.entries(spec.inputs)) {
    if (!Object.hasOwn(inputs, name)) {
      issues.push({
        name,
        message: `is missing (expected ${want.dtype} [${want.shape.join(', ')}])`,
      });
      continue;
    }
    const t = inputs[name];
    if (t === null || typeof t !== 'object' || !Array.isArray(t.shape) || t.data === undefined) {
      issues.push({ name, message: 'is not a tensor { dtype, shape, data }' });
      continue;
    }
    const arrayOk =
      want.dtype === 'float32' ? t.data instanceof Float32Array : t.data instanceof Int32Array;
    if (t.dtype !== want.dtype || !arrayOk) {
      issues.push({
        name,
        message: `has dtype ${String(t.dtype)}${arrayOk ? '' : ` (${t.data?.constructor?.name})`}, expected ${want.dtype}`,
      });
      continue;
    }
    typed.add(name);
    if (t.shape.length !== want.shape.length) {
      issues.push({
        name,
        message: `has rank ${t.shape.length} [${t.shape.join(', ')}], expected rank ${want.shape.length} [${want.shape.join(', ')}]`,
      });
      continue;
    }
    if (t.shape.some((d) => !Number.isSafeInteger(d) || d < 1)) {
      issues.push({
        name,
        message: `has an invalid shape [${t.shape.join(', ')}] (dims must be positive integers)`,
      });
      continue;
    }
    let ok = true;
    want.shape.forEach((d, i) => {
      const got = t.shape[i];
      if (typeof d === 'number') {
        if (got !== d) {
          issues.push({ name, message: `dim ${i} is ${got}, expected ${d}` });
          ok = false;
        }
      } else if (d in bindings) {
        if (bindings[d] !== got) {
          issues.push({
            name,
            message: `dim ${i} (${d}) is ${got}, but ${boundBy[d]} binds ${d} = ${bindings[d]}`,
          });
          ok = false;
        }
      } else {
        bindings[d] = got;
        boundBy[d] = name;
      }
    });
    if (!ok) continue;
    if (t.data.length !== numel(t.shape)) {
      issues.push({
        name,
        message: `holds ${t.data.length} values, its shape [${t.shape.join(', ')}] needs ${numel(t.shape)}`,
      });
    }
  }
  // Each op checks the values of the model inputs it reads (embedding: ids in range); the first
  // problem found in an input is reported.
  const flagged = new Set<string>();
  for (const node of spec.nodes) {
    const def = opDef(node.op)!;
    node.input.forEach((name, k) => {
      if (!typed.has(name) || flagged.has(name)) return;
      const problem = def.checkValues?.(node, k, inputs[name].data);
      if (problem === undefined) return;
      issues.push({ name, message: problem });
      flagged.add(name);
    });
  }
  if (issues.length > 0) throw new InputError(issues);

  let shapes: Map<string, TensorInfo>;
  try {
    shapes = inferShapes(spec, { ...bindings });
  } catch (e) {
    if (!(e instanceof SpecError)) throw e;
    throw new InputError(
      e.issues.map((i) => ({
        name: formatPath(i.path),
        message: `${i.message} (with ${formatBindings(bindings)})`,
      })),
    );
  }
  // Each sequence's length within the time it counts (§6.3), once the times are bound.
  const lengthIssues = lengthsValueIssues(spec, shapes, (name) =>
    typed.has(name) ? inputs[name].data : undefined,
  );
  if (lengthIssues.length > 0) throw new InputError(lengthIssues);
  const problem = activationProblem(spec, shapes, bindings, resolveLimits(options.limits));
  if (problem !== undefined) throw new InputError(problem.message, problem.name);
  return { bindings: { ...bindings }, shapes };
}

/**
 * checkInputs for a decoder's step, whose state inputs are the backend's own tensors (only their
 * shapes are given): the host inputs are checked as checkInputs checks them, against the spec
 * without the state and the nodes that read it; each state tensor's shape against its input's,
 * binding the dims only the state carries (a cache's `past`); then the whole spec's shapes and
 * the limits at those bindings.
 */
export function checkStepInputs(
  spec: ModelSpec,
  inputs: Record<string, Tensor>,
  state: Record<string, readonly number[]>,
  options: { limits?: Partial<Limits> } = {},
): CheckedInputs {
  const names = Object.keys(state);
  if (names.length === 0) return checkInputs(spec, inputs, options);
  const { bindings } = checkInputs(hostSpec(spec, names), inputs, options);
  for (const name of names) {
    const want = spec.inputs[name]?.shape;
    const got = state[name];
    const bad = (why: string) =>
      new InputError(`state [${got.join(', ')}] ${why} (expected [${want?.join(', ')}])`, name);
    if (want === undefined) throw bad('is not an input of this model');
    if (got.length !== want.length) throw bad('has the wrong rank');
    want.forEach((d, i) => {
      if (typeof d === 'string' && !Object.hasOwn(bindings, d)) bindings[d] = got[i];
      if ((typeof d === 'number' ? d : bindings[d]) !== got[i]) throw bad(`disagrees at dim ${i}`);
    });
  }
  const shapes = inferShapes(spec, { ...bindings });
  const problem = activationProblem(spec, shapes, bindings, resolveLimits(options.limits));
  if (problem !== undefined) throw new InputError(problem.message, problem.name);
  return { bindings, shapes };
}

const hostSpecs = new WeakMap<ModelSpec, { key: string; spec: ModelSpec }>();

/**
 * `spec` without the inputs `state` and the nodes that read them, directly or not: the same
 * object for the same names, so that checkInputs' memo holds from one step to the next.
 */
function hostSpec(spec: ModelSpec, state: readonly string[]): ModelSpec {
  const key = state.join('\n');
  const hit = hostSpecs.get(spec);
  if (hit?.key === key) return hit.spec;
  const dropped = new Set(state);
  const known = new Set(Object.keys(spec.inputs).filter((name) => !dropped.has(name)));
  const nodes = spec.nodes.filter((node) => {
    if (!node.input.every((ref) => known.has(parseRef(ref).node))) return false;
    known.add(node.id);
    return true;
  });
  const host = {
    ...spec,
    inputs: Object.fromEntries(Object.entries(spec.inputs).filter(([n]) => !dropped.has(n))),
    nodes,
    outputs: Object.fromEntries(
      Object.entries(spec.outputs).filter(([, ref]) => known.has(parseRef(ref).node)),
    ),
  };
  hostSpecs.set(spec, { key, spec: host });
  return host;
}

/** Per spec, its full lowering and the bindings whose inner values were found within limits. */
const innerChecked = new WeakMap<
  ModelSpec,
  { lowered: LoweredSpec; ok: { limit: number; bindings: Record<string, number> }[] }
>();

/**
 * Whether `b` is no larger than `than` in every dim. Every shape rule is monotone (a value grows
 * with the dims it is computed from), so such bindings are within the limits when `than` was.
 */
function within(b: Record<string, number>, than: Record<string, number>): boolean {
  const keys = Object.keys(b);
  return (
    keys.length === Object.keys(than).length &&
    keys.every((k) => Object.hasOwn(than, k) && b[k] <= than[k])
  );
}

/**
 * The first value over `maxActivationElements` once the dims are bound: a node's output, or a
 * value inside a composite (an attention's scores [B, h, T, T], an encoder layer's feed-forward
 * hidden layer), found by inferring the shapes of the composite's decomposition, the same maths
 * every backend allocates for. `shapes` are the spec's own, already inferred at `bindings`.
 */
export function activationProblem(
  spec: ModelSpec,
  shapes: ReadonlyMap<string, TensorInfo>,
  bindings: Record<string, number>,
  limits: Limits,
): NamedIssue | undefined {
  const over = (name: string, shape: readonly Dim[], inside?: string) => {
    if (shape.some((d) => typeof d !== 'number')) return undefined;
    const n = numel(shape as number[]);
    if (n <= limits.maxActivationElements) return undefined;
    const what = inside === undefined ? '' : ` (inside ${inside})`;
    return {
      name,
      message: `would hold ${n.toLocaleString('en-US')} elements [${shape.join(', ')}]${what}, over the limit of ${limits.maxActivationElements.toLocaleString('en-US')}`,
    };
  };
  for (const [name, info] of shapes) {
    const problem = over(name, info.shape);
    if (problem !== undefined) return problem;
  }
  if (!spec.nodes.some((n) => opDef(n.op)!.decompose !== undefined)) return undefined;
  let memo = innerChecked.get(spec);
  if (memo === undefined) {
    memo = { lowered: lowerAll(spec), ok: [] };
    innerChecked.set(spec, memo);
  }
  // Runs repeat their bindings, and a decoder checks its largest step once (createDecoder): a
  // step within bindings already checked costs nothing more.
  const limit = limits.maxActivationElements;
  if (memo.ok.some((c) => c.limit === limit && within(bindings, c.bindings))) return undefined;
  const inner = inferShapes(memo.lowered, { ...bindings });
  for (const node of memo.lowered.nodes) {
    const info = inner.get(node.id);
    // A value whose inputs are not among those checked (a decoder's state) is not inferred here.
    if (node.origin === undefined || info === undefined) continue;
    const problem = over(node.origin, info.shape, `its sub-node ${node.id}, ${node.op}`);
    if (problem !== undefined) return problem;
  }
  if (memo.ok.length >= 64) memo.ok.shift();
  memo.ok.push({ limit, bindings: { ...bindings } });
  return undefined;
}

function formatBindings(b: Record<string, number>): string {
  const parts = Object.entries(b).map(([k, v]) => `${k}=${v}`);
  return parts.length === 0 ? 'no symbolic dims' : parts.join(', ');
}
