// Checking a run's inputs against the spec before any kernel sees them.
import { formatPath, InputError, type NamedIssue, SpecError } from './errors.js';
import { inferShapes } from './graph.js';
import { type Limits, resolveLimits } from './limits.js';
import type { TensorInfo } from './ops/common.js';
import { opDef } from './ops/registry.js';
import type { ModelSpec } from './schema.js';
import { numel, type Tensor } from './tensor.js';

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
  const limits = resolveLimits(options.limits);
  for (const [name, info] of shapes) {
    const n = numel(info.shape as number[]);
    if (n > limits.maxActivationElements) {
      throw new InputError(
        `would hold ${n.toLocaleString('en-US')} elements [${info.shape.join(', ')}], over the limit of ${limits.maxActivationElements.toLocaleString('en-US')}`,
        name,
      );
    }
  }
  return { bindings: { ...bindings }, shapes };
}

function formatBindings(b: Record<string, number>): string {
  const parts = Object.entries(b).map(([k, v]) => `${k}=${v}`);
  return parts.length === 0 ? 'no symbolic dims' : parts.join(', ');
}
