// Training data as JSON Lines: one example per line,
//   {"inputs": {"<input name>": <nested arrays>}, "target": <number | nested arrays>}
// Each input holds one example, i.e. the spec's input shape without its first (batch) dim; the
// examples are stacked into tensors whose first dim is the number of examples. Input dtypes come
// from the spec; targets are int32 class ids for crossEntropy and ctc, float32 for mse. CTC label
// sequences may differ in length: they are padded at the end with -1, which the CTC loss reads as
// the end of a row's labels.
import type { DType, InputSpec, ModelSpec, Tensor } from '@tessera/spec';
import { CliError } from './errors.js';

/**
 * A JSON Lines training set as parseDataset reads it: the inputs and targets of every line,
 * batched.
 */
export interface Dataset {
  inputs: Record<string, Tensor>;
  targets: Tensor;
  /** Number of examples (lines). */
  size: number;
}

interface Nested {
  shape: number[];
  values: number[];
}

class DataIssue extends Error {}

/** Shape and row-major values of a rectangular nested array of finite numbers (a number is rank 0). */
function flatten(value: unknown, integer: boolean): Nested {
  const values: number[] = [];
  const walk = (v: unknown, depth: number, shape: number[]): void => {
    if (Array.isArray(v)) {
      if (depth === shape.length) {
        if (values.length > 0)
          throw new DataIssue('is not rectangular (mixes numbers and arrays at one depth)');
        shape.push(v.length);
      } else if (shape[depth] !== v.length) {
        throw new DataIssue(
          `is not rectangular (a row of ${v.length} where ${shape[depth]} came first)`,
        );
      }
      for (const x of v) walk(x, depth + 1, shape);
      return;
    }
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw new DataIssue(`holds ${JSON.stringify(v)}, not a finite number`);
    if (depth !== shape.length)
      throw new DataIssue('is not rectangular (a number where an array was expected)');
    if (integer && !Number.isInteger(v)) throw new DataIssue(`holds ${v}, not an integer`);
    values.push(v);
  };
  const shape: number[] = [];
  walk(value, 0, shape);
  return { shape, values };
}

/** Checks one example's shape against the spec's shape without its batch dim, binding symbols. */
function checkShape(
  got: number[],
  want: InputSpec['shape'],
  bound: Map<string, [number, number]>,
  line: number,
): string | undefined {
  const rest = want.slice(1);
  if (got.length !== rest.length)
    return `has shape [${got.join(', ')}], expected one example of shape [${rest.join(', ')}] (the input's shape without its batch dim)`;
  for (let i = 0; i < rest.length; i++) {
    const d = rest[i];
    if (typeof d === 'number') {
      if (got[i] !== d) return `dim ${i} is ${got[i]}, expected ${d}`;
    } else {
      const b = bound.get(d);
      if (b === undefined) bound.set(d, [got[i], line]);
      else if (b[0] !== got[i])
        return `dim ${i} (${d}) is ${got[i]}, but line ${b[1]} has ${d} = ${b[0]} (all examples must have the same size)`;
    }
  }
  return undefined;
}

function stack(dtype: DType, n: number, shape: number[], rows: number[][]): Tensor {
  const per = rows[0]?.length ?? 0;
  const data = dtype === 'float32' ? new Float32Array(n * per) : new Int32Array(n * per);
  rows.forEach((r, i) => {
    data.set(r, i * per);
  });
  return { dtype, shape: [n, ...shape], data };
}

/**
 * Parses JSON Lines text into stacked tensors. `source` names the file in errors, which read
 * `data.jsonl:3: inputs.x: dim 0 is 5, expected 4`.
 */
export function parseDataset(
  text: string,
  spec: ModelSpec,
  options: { targetDtype: DType; padTargets?: boolean },
  source = 'data',
): Dataset {
  const { targetDtype, padTargets = false } = options;
  const names = Object.keys(spec.inputs);
  const rows: Record<string, number[][]> = Object.fromEntries(names.map((n) => [n, []]));
  const shapes: Record<string, number[]> = {};
  const targets: number[][] = [];
  let targetShape: number[] | undefined;
  let targetLine = 0;
  const bound = new Map<string, [number, number]>();
  const fail = (line: number, what: string, message: string): never => {
    throw new CliError(`${source}:${line}: ${what}${what === '' ? '' : ': '}${message}`);
  };
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const line = i + 1;
    if (raw.trim() === '') continue;
    let record: unknown;
    try {
      record = JSON.parse(raw);
    } catch (e) {
      fail(line, '', `is not valid JSON: ${(e as Error).message}`);
    }
    if (record === null || typeof record !== 'object' || Array.isArray(record))
      fail(line, '', 'is not a JSON object {"inputs": {...}, "target": ...}');
    const { inputs, target, ...extra } = record as Record<string, unknown>;
    for (const k of Object.keys(extra))
      fail(line, k, 'is not a field of an example (expected "inputs" and "target")');
    if (inputs === null || typeof inputs !== 'object' || Array.isArray(inputs))
      fail(line, 'inputs', `must be an object of the model's inputs (${names.join(', ')})`);
    for (const k of Object.keys(inputs as object))
      if (!names.includes(k))
        fail(line, `inputs.${k}`, `is not an input of this model (inputs: ${names.join(', ')})`);
    for (const name of names) {
      const want = spec.inputs[name];
      if (!Object.hasOwn(inputs as object, name))
        fail(
          line,
          `inputs.${name}`,
          `is missing (expected ${want.dtype} [${want.shape.slice(1).join(', ')}])`,
        );
      let nested: Nested;
      try {
        nested = flatten((inputs as Record<string, unknown>)[name], want.dtype === 'int32');
      } catch (e) {
        if (!(e instanceof DataIssue)) throw e;
        return fail(
          line,
          `inputs.${name}`,
          `${e.message}${want.dtype === 'int32' ? ' (the model takes int32 ids)' : ''}`,
        );
      }
      const problem = checkShape(nested.shape, want.shape, bound, line);
      if (problem !== undefined) fail(line, `inputs.${name}`, problem);
      shapes[name] = nested.shape;
      rows[name].push(nested.values);
    }
    if (target === undefined) fail(line, 'target', 'is missing');
    let t: Nested;
    try {
      t = flatten(target, targetDtype === 'int32');
    } catch (e) {
      if (!(e instanceof DataIssue)) throw e;
      return fail(
        line,
        'target',
        `${e.message}${targetDtype === 'int32' ? ' (this loss takes int32 class ids)' : ''}`,
      );
    }
    if (padTargets) {
      if (t.shape.length !== 1)
        fail(
          line,
          'target',
          `must be a flat array of label ids, got shape [${t.shape.join(', ')}]`,
        );
      if (t.values.some((v) => v < 0))
        fail(line, 'target', 'holds a negative label id (-1 is the padding)');
      targetShape = [Math.max(targetShape?.[0] ?? 0, t.shape[0])];
    } else if (targetShape === undefined) {
      targetShape = t.shape;
      targetLine = line;
    } else if (
      targetShape.length !== t.shape.length ||
      targetShape.some((d, j) => d !== t.shape[j])
    ) {
      fail(
        line,
        'target',
        `has shape [${t.shape.join(', ')}], but line ${targetLine} has [${targetShape.join(', ')}] (all targets must have the same shape)`,
      );
    }
    targets.push(t.values);
  }
  const n = targets.length;
  if (n === 0) throw new CliError(`${source}: holds no examples`);
  const inputs = Object.fromEntries(
    names.map((name) => [name, stack(spec.inputs[name].dtype, n, shapes[name], rows[name])]),
  );
  if (padTargets) {
    const width = targetShape?.[0] ?? 0;
    for (const row of targets) while (row.length < width) row.push(-1);
  }
  return { inputs, targets: stack(targetDtype, n, targetShape ?? [], targets), size: n };
}
