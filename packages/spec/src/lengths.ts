// Ragged batches (§6.3): `lengths` names an int32 [batch] model input with each sequence's true
// length. The facts live in the op files (`lengthsOf`: which input's time each length counts);
// this file is the generic part every stage shares — the shape check, the value check before a
// run, the draw of random lengths, and how a kernel finds its lengths among its inputs.
import { type Dim, formatShape } from './dims.js';
import type { IssuePath, NamedIssue, SpecIssue } from './errors.js';
import { LENGTHS_ATTRS, type LengthsAttr, type TensorInfo } from './ops/common.js';
import { type NodeSpec, opDef } from './ops/registry.js';
import type { ModelSpec } from './schema.js';

/** A lengths attribute a node sets: the model input it names and which input's time it counts. */
export interface LengthsUse {
  attr: LengthsAttr;
  /** The model input holding the lengths. */
  ref: string;
  /** The index of the node's input whose time the lengths count. */
  timeOf: number;
  /** That input's time dim: 1, or 2 for a decoder step's cached keys [batch, heads, time, d]. */
  timeDim: number;
}

/** How many trailing inputs of a lowered node are its lengths (appended by lowering). */
export function appendedLengths(node: NodeSpec): number {
  return (node as { lengthsInputs?: number }).lengthsInputs ?? 0;
}

/** The lengths a node reads, in LENGTHS_ATTRS order (the order lowering appends them). */
export function lengthsUses(node: NodeSpec): LengthsUse[] {
  const def = opDef(node.op);
  if (def?.lengthsOf === undefined) return [];
  const attrs = node as unknown as Partial<Record<LengthsAttr, string>>;
  const counted = def.lengthsOf(node as never, node.input.length - appendedLengths(node));
  const out: LengthsUse[] = [];
  for (const attr of LENGTHS_ATTRS) {
    const ref = attrs[attr];
    const at = counted[attr];
    if (ref === undefined || at === undefined) continue;
    const [timeOf, timeDim] = typeof at === 'number' ? [at, 1] : at;
    out.push({ attr, ref, timeOf, timeDim });
  }
  return out;
}

/**
 * A kernel's inputs without its lengths, and the lengths by attribute. Lowering appends a kept
 * node's lengths to its inputs, so that every backend sees them as ordinary values of its graph.
 */
export function splitLengths<T>(
  node: NodeSpec,
  inputs: readonly T[],
): { inputs: T[]; lengths?: T; memoryLengths?: T } {
  const k = appendedLengths(node);
  if (k === 0) return { inputs: [...inputs] };
  const own = inputs.slice(0, inputs.length - k);
  const out: { inputs: T[]; lengths?: T; memoryLengths?: T } = { inputs: own };
  lengthsUses(node).forEach((use, i) => {
    out[use.attr] = inputs[inputs.length - k + i];
  });
  return out;
}

/**
 * The shape rule every op taking lengths shares: the named input is int32 [batch], the batch of
 * the input whose time it counts. `infos` holds the model inputs; paths are `nodes[at].<attr>`.
 */
export function lengthsShapeIssues(
  node: NodeSpec,
  at: number,
  ins: readonly TensorInfo[],
  infos: ReadonlyMap<string, TensorInfo>,
): SpecIssue[] {
  const issues: SpecIssue[] = [];
  for (const use of lengthsUses(node)) {
    const path: IssuePath = ['nodes', at, use.attr];
    const info = infos.get(use.ref);
    const timed = ins[use.timeOf];
    if (info === undefined) continue; // normalise already named an unknown input
    if (info.dtype !== 'int32' || info.shape.length !== 1) {
      issues.push({
        path,
        message: `${JSON.stringify(use.ref)} is ${info.dtype} ${formatShape(info.shape)}; ${use.attr} names an int32 [batch] model input`,
      });
      continue;
    }
    if (timed === undefined || timed.shape.length <= use.timeDim) {
      issues.push({
        path,
        message: `counts the time (dim ${use.timeDim}) of the node's input ${use.timeOf}, which is ${timed === undefined ? 'missing' : `of rank ${timed.shape.length}`}`,
      });
      continue;
    }
    if (!sameDim(info.shape[0], timed.shape[0]))
      issues.push({
        path,
        message: `${JSON.stringify(use.ref)} is [${info.shape[0]}], but the batch of the input it counts is ${timed.shape[0]}`,
      });
  }
  return issues;
}

/** Equal when both are bound; a symbolic dim is checked again once the run binds it. */
function sameDim(p: Dim, q: Dim): boolean {
  return typeof p !== 'number' || typeof q !== 'number' || p === q;
}

/**
 * Every lengths input's values against the times they count, at bound shapes: a length outside
 * 1..T is a problem naming the input and the batch row (the first bad row of each input).
 */
export function lengthsValueIssues(
  spec: ModelSpec,
  shapes: ReadonlyMap<string, TensorInfo>,
  data: (name: string) => Int32Array | Float32Array | undefined,
): NamedIssue[] {
  const issues: NamedIssue[] = [];
  const times = lengthsTimes(spec, shapes);
  for (const [name, { time, node }] of times) {
    const values = data(name);
    if (values === undefined) continue;
    const row = values.findIndex((v) => !(v >= 1 && v <= time));
    if (row >= 0)
      issues.push({
        name,
        message: `row ${row} is ${values[row]}, outside 1..${time} (the time node ${JSON.stringify(node)} reads)`,
      });
  }
  return issues;
}

/**
 * For each input used as lengths, the largest length it may hold: the shortest time of the
 * nodes reading it (and one such node, for messages). Dims must be bound.
 */
export function lengthsTimes(
  spec: ModelSpec,
  shapes: ReadonlyMap<string, TensorInfo>,
): Map<string, { time: number; node: string }> {
  const out = new Map<string, { time: number; node: string }>();
  for (const node of spec.nodes) {
    for (const use of lengthsUses(node)) {
      const time = shapes.get(node.input[use.timeOf])?.shape[use.timeDim];
      if (typeof time !== 'number') continue;
      const seen = out.get(use.ref);
      if (seen === undefined || time < seen.time) out.set(use.ref, { time, node: node.id });
    }
  }
  return out;
}
