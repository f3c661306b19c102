// Decoding cells (DESIGN.md §6.5): a decodable case's inputs fed to the backend's
// `model.decoder()` a chunk of positions at a time (a prompt, single positions, a chunk of two);
// the step outputs, joined along time, must equal the float64 reference's run on the whole
// sequence within the case's tolerance, as an ordinary cell's outputs must.
import {
  type Backend,
  type CompiledModel,
  type Decoder,
  type Dim,
  decodable,
  decodePlan,
  inferShapes,
  numel,
  type Tensor,
} from '@tessera/spec';
import type { ConformanceCase } from './case.js';
import {
  type CellOptions,
  type CellResult,
  copies,
  errorMessage,
  isUnsupported,
  judgeCell,
  unsupportedReason,
  withTimeout,
} from './cell.js';
import type { Expected } from './reference.js';

/** What a decoding cell's id adds to its case's id. */
export const decodeSuffix = '/decode';

/** The shortest sequence that feeds a prompt of two, a single position and a chunk of two. */
export const decodeMinTime = 5;

/** The reason of a decoding cell on a backend whose compiled model has no decoder. */
export const noDecoderReason = 'no decoder: the compiled model has no decoder() (§6.5)';

/**
 * A case's decoding cell: its inputs fed to `model.decoder()` a chunk of positions at a time and
 * the outputs joined, against the reference run on the whole sequence.
 */
export interface DecodingCase {
  /** `<case id>/decode`. */
  id: string;
  /** The case decoded. */
  of: ConformanceCase;
  /**
   * The case whose reference run on the whole sequence gives the expected values: `of` itself
   * when its sizes allow every kind of chunk, else `of` at batch 2 or a longer time.
   */
  whole: ConformanceCase;
  batch: number;
  /** Positions fed in all, the decoder's maxLength. */
  time: number;
  /** Positions per step: a prompt of more than one, single positions, then two. */
  chunks: number[];
  /** Per output: the dim its positions run along, or -1 (h_n, c_n: compared after the last step). */
  timeAxes: Record<string, number>;
  /** Inputs fed whole to the first step only (an encoder's source: decodePlan's fixedInputs). */
  fixedInputs: string[];
}

/**
 * The steps a sequence of `time` positions is fed in: a prompt of more than one position, up to
 * three single positions, then a chunk of two; shorter sequences keep what fits.
 */
export function decodeChunks(time: number): number[] {
  if (!Number.isSafeInteger(time) || time < 1)
    throw new RangeError(`a decoded sequence has at least one position, got ${time}`);
  if (time <= 2) return [time];
  if (time < decodeMinTime) return [2, ...new Array<number>(time - 2).fill(1)];
  const singles = Math.min(3, time - 4);
  return [time - singles - 2, ...new Array<number>(singles).fill(1), 2];
}

const derived = new WeakMap<ConformanceCase, DecodingCase | null>();

/**
 * The decoding cell of a case, or undefined when its spec is not decodable (`decodable(spec)` is
 * a reason). The batch is 2 where the case's batch is symbolic (and the case has no lengths), and the time at least
 * decodeMinTime (within the positions the spec's positional embedding holds), so every kind of
 * chunk runs; a case with explicit inputs keeps its sizes.
 */
export function decodingOf(c: ConformanceCase): DecodingCase | undefined {
  let d = derived.get(c);
  if (d === undefined) {
    d = derive(c) ?? null;
    derived.set(c, d);
  }
  return d ?? undefined;
}

function derive(c: ConformanceCase): DecodingCase | undefined {
  const spec = c.spec();
  let dims: { batchDim: Dim; timeDim: string; maxPositions?: number; fixedInputs: string[] };
  try {
    if (decodable(spec) !== true) return undefined;
    dims = decodePlan(spec);
  } catch {
    // The ops' decoding rules accept the spec but its step spec does not build: a bug of
    // @tessera/spec, not of the case. The cell stays, and errors with the reason wherever a
    // decoder is made; the dims are the ones decodePlan reads, those of the first input.
    const first = Object.values(spec.inputs)[0];
    if (first === undefined || typeof first.shape[1] !== 'string') return undefined;
    dims = { batchDim: first.shape[0], timeDim: first.shape[1], fixedInputs: [] };
  }
  const { batchDim, timeDim, maxPositions, fixedInputs } = dims;
  // Explicit inputs have their sizes; seeded ones are drawn at the bindings.
  const given = c.inputs === undefined ? undefined : Object.values(c.inputs())[0]?.shape;
  const caseBatch = given?.[0] ?? (typeof batchDim === 'number' ? batchDim : c.bindings[batchDim]);
  const caseTime = given?.[1] ?? c.bindings[timeDim];
  let batch = caseBatch;
  let time = caseTime;
  if (given === undefined) {
    // A case with lengths keeps its batch: its lengths give one per row.
    if (typeof batchDim === 'string' && c.lengths === undefined) batch = 2;
    time = Math.min(
      Math.max(caseTime ?? decodeMinTime, decodeMinTime),
      maxPositions ?? Number.POSITIVE_INFINITY,
    );
  }
  const id = `${c.id}${decodeSuffix}`;
  const whole: ConformanceCase =
    batch === caseBatch && time === caseTime
      ? c
      : {
          ...c,
          id,
          bindings: {
            ...c.bindings,
            ...(typeof batchDim === 'string' ? { [batchDim]: batch } : {}),
            [timeDim]: time,
          },
        };
  const shapes = inferShapes(spec);
  const timeAxes = Object.fromEntries(
    Object.entries(spec.outputs).map(([name, ref]) => [
      name,
      shapes.get(ref)?.shape.indexOf(timeDim) ?? -1,
    ]),
  );
  return {
    id,
    of: c,
    whole,
    batch,
    time,
    chunks: decodeChunks(time),
    timeAxes,
    fixedInputs: [...fixedInputs],
  };
}

/** Positions [from, to) of `t` along `axis`. */
function sliceAxis(t: Tensor, axis: number, from: number, to: number): Tensor {
  const outer = numel(t.shape.slice(0, axis));
  const inner = numel(t.shape.slice(axis + 1));
  const len = t.shape[axis];
  const n = to - from;
  const data =
    t.dtype === 'int32' ? new Int32Array(outer * n * inner) : new Float32Array(outer * n * inner);
  for (let o = 0; o < outer; o++)
    data.set(t.data.subarray((o * len + from) * inner, (o * len + to) * inner), o * n * inner);
  const shape = [...t.shape];
  shape[axis] = n;
  return { dtype: t.dtype, shape, data };
}

function isTensor(t: unknown): t is Tensor {
  return (
    typeof t === 'object' &&
    t !== null &&
    Array.isArray((t as Tensor).shape) &&
    ArrayBuffer.isView((t as Tensor).data)
  );
}

const formatShape = (shape: readonly number[]) => `[${shape.join(', ')}]`;

/**
 * Joins one output's step results along `axis` into the shape of the whole sequence `want`, or
 * says which step gave what instead.
 */
function join(
  name: string,
  pieces: unknown[],
  axis: number,
  want: readonly number[],
  chunks: readonly number[],
): Tensor | string {
  let at = 0;
  for (const [k, p] of pieces.entries()) {
    const n = chunks[k];
    const shape = [...want];
    shape[axis] = n;
    const what = `step ${k + 1} (positions ${at}..${at + n - 1})`;
    at += n;
    if (!isTensor(p)) return `${what} gave no output ${JSON.stringify(name)}`;
    if (p.shape.length !== shape.length || p.shape.some((d, i) => d !== shape[i]))
      return `${what} gave shape ${formatShape(p.shape)}, expected ${formatShape(shape)}`;
    if (p.data.length !== numel(shape))
      return `${what} holds ${p.data.length} values, its shape needs ${numel(shape)}`;
  }
  const tensors = pieces as Tensor[];
  const outer = numel(want.slice(0, axis));
  const inner = numel(want.slice(axis + 1));
  const total = numel(want);
  const data = tensors[0].dtype === 'int32' ? new Int32Array(total) : new Float32Array(total);
  let offset = 0;
  for (const [k, t] of tensors.entries()) {
    const n = chunks[k];
    for (let o = 0; o < outer; o++)
      data.set(
        t.data.subarray(o * n * inner, (o + 1) * n * inner),
        (o * want[axis] + offset) * inner,
      );
    offset += n;
  }
  return { dtype: tensors[0].dtype, shape: [...want], data };
}

/** The last step's result for an output without a time dim, or what it gave instead. */
function last(name: string, pieces: unknown[]): Tensor | string {
  const p = pieces.at(-1);
  return isTensor(p)
    ? p
    : `step ${pieces.length} (the last) gave no output ${JSON.stringify(name)}`;
}

/** The 1-based step whose positions hold `position`. */
function stepOf(position: number, chunks: readonly number[]): number {
  let end = 0;
  for (const [k, n] of chunks.entries()) {
    end += n;
    if (position < end) return k + 1;
  }
  return chunks.length;
}

/**
 * Decodes a case on one backend: compile, `model.decoder({ batch, maxLength })`, one step per
 * chunk, then the joined outputs judged against `expected` (the reference's run of `d.whole`).
 * Never throws: every outcome is a status.
 */
export async function runDecodeCell(
  backend: Backend,
  d: DecodingCase,
  expected: Expected,
  o: CellOptions,
): Promise<CellResult> {
  const base = {
    caseId: d.id,
    kind: 'decode' as const,
    backend: o.label,
    tolerance: o.tolerance,
    chunks: [...d.chunks],
  };
  const unsupported = unsupportedReason(backend, expected);
  if (unsupported !== undefined) return { ...base, status: 'unsupported', reason: unsupported };
  const started = performance.now();
  let model: CompiledModel | undefined;
  let decoder: Decoder | undefined;
  let result: CellResult;
  try {
    const given = copies(expected);
    model = await withTimeout(
      backend.compile(given.spec, given.weights, o.compileOptions),
      o.timeoutMs,
      'compile',
    );
    if (typeof model.decoder !== 'function') {
      result = { ...base, status: 'unsupported', reason: noDecoderReason };
    } else {
      decoder = await withTimeout(
        model.decoder({ batch: d.batch, maxLength: d.time }),
        o.timeoutMs,
        'decoder',
      );
      const names = Object.keys(expected.outputs);
      const pieces: Record<string, unknown[]> = Object.fromEntries(names.map((n) => [n, []]));
      let at = 0;
      for (const [k, n] of d.chunks.entries()) {
        // A fixed input (the source of a memory) is fed whole, to the first step only.
        const inputs = Object.fromEntries(
          Object.entries(given.inputs).flatMap(([name, t]) =>
            !d.fixedInputs.includes(name)
              ? [[name, sliceAxis(t, 1, at, at + n)]]
              : k === 0
                ? [[name, t]]
                : [],
          ),
        );
        const out = await withTimeout(decoder.step(inputs), o.timeoutMs, `step ${k + 1}`);
        at += n;
        if (decoder.position !== at)
          throw new Error(
            `after step ${k + 1} the decoder's position is ${decoder.position}, expected ${at}`,
          );
        for (const name of names)
          pieces[name].push(out && Object.hasOwn(out, name) ? out[name] : undefined);
      }
      const got: Record<string, Tensor> = {};
      const problems: Record<string, string> = {};
      for (const name of names) {
        const axis = d.timeAxes[name] ?? -1;
        // An output without a time dim (h_n, c_n) is the state after the last position.
        const joined =
          axis < 0
            ? last(name, pieces[name])
            : join(name, pieces[name], axis, expected.outputs[name].shape, d.chunks);
        if (typeof joined === 'string') problems[name] = joined;
        else got[name] = joined;
      }
      result = {
        ...base,
        ...judgeCell(d.id, o.label, got, expected, o.tolerance, problems),
        kind: 'decode',
      };
      const f = result.failure;
      const axis = f === undefined ? -1 : (d.timeAxes[f.output] ?? -1);
      if (f !== undefined && f.worstPosition.length > 0)
        f.step = axis < 0 ? d.chunks.length : stepOf(f.worstPosition[axis], d.chunks);
    }
  } catch (e) {
    result = isUnsupported(e)
      ? { ...base, status: 'unsupported', reason: e.message }
      : { ...base, status: 'error', message: errorMessage(e) };
  }
  // The decoder first: it holds state made by the model's runtime.
  const release = async (what: string, dispose: () => Promise<void>) => {
    try {
      await dispose();
    } catch (e) {
      if (result.status === 'pass')
        result = { ...base, status: 'error', message: `${what} failed: ${errorMessage(e)}` };
    }
  };
  const [dec, m] = [decoder, model];
  if (dec !== undefined) await release('decoder.dispose', () => dec.dispose());
  if (m !== undefined) await release('dispose', () => m.dispose());
  result.ms = performance.now() - started;
  return result;
}
