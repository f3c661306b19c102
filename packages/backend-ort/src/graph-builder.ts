// Accumulates an ONNX graph (nodes, initializers, constants) with sanitised, unique names, and
// encodes it as a ModelProto with onnx-proto's protobufjs classes.

import type { Dim, DType, Tensor } from '@tessera/spec';
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
type IAttributeProto = onnxProto.onnx.IAttributeProto;
type INodeProto = onnxProto.onnx.INodeProto;
type ITensorProto = onnxProto.onnx.ITensorProto;
type IValueInfoProto = onnxProto.onnx.IValueInfoProto;

const AttrType = onnx.AttributeProto.AttributeType;
const DataType = onnx.TensorProto.DataType;

/** An attribute value, tagged so that 1 (int) and 1.0 (float) stay distinct. */
export type Attr =
  | { int: number }
  | { ints: number[] }
  | { float: number }
  | { floats: number[] }
  | { string: string }
  | { strings: string[] };

export const int = (v: number): Attr => ({ int: v });
export const ints = (v: number[]): Attr => ({ ints: v });
export const float = (v: number): Attr => ({ float: v });
export const str = (v: string): Attr => ({ string: v });
export const strs = (v: string[]): Attr => ({ strings: v });

const utf8 = new TextEncoder();

function toAttribute(name: string, a: Attr): IAttributeProto {
  if ('int' in a) return { name, type: AttrType.INT, i: a.int };
  if ('ints' in a) return { name, type: AttrType.INTS, ints: a.ints };
  if ('float' in a) return { name, type: AttrType.FLOAT, f: a.float };
  if ('floats' in a) return { name, type: AttrType.FLOATS, floats: a.floats };
  if ('string' in a) return { name, type: AttrType.STRING, s: utf8.encode(a.string) };
  return { name, type: AttrType.STRINGS, strings: a.strings.map((s) => utf8.encode(s)) };
}

/** Keeps [A-Za-z0-9_] and replaces everything else, so no spec string reaches a name verbatim. */
export function sanitize(hint: string): string {
  const s = hint.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 100);
  return /^[A-Za-z_]/.test(s) ? s : `t_${s}`;
}

/**
 * A PyTorch weight name ONNX keeps as it is (`model.layers.0.self_attn.q_proj.weight`, `0.weight`):
 * letters, digits, `_` and `.`, not starting with `.`. Anything else is sanitised instead.
 */
const WEIGHT_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.]*$/;

function bytesOf(array: Float32Array | Int32Array | BigInt64Array): Uint8Array {
  // A view, not a copy: encode() copies it into the message before anyone can change it. Typed
  // arrays are little-endian on every platform ONNX Runtime runs on, as ONNX's raw_data is.
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

/** The ONNX element type of a dtype; int64 for the shapes and indices built in the graph. */
export function elemType(dtype: DType | 'int64'): number {
  return dtype === 'float32' ? DataType.FLOAT : dtype === 'int32' ? DataType.INT32 : DataType.INT64;
}

export function valueInfo(name: string, dtype: DType, shape: (Dim | null)[]): IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: elemType(dtype),
        shape: {
          dim: shape.map((d) =>
            typeof d === 'number' ? { dimValue: d } : d === null ? {} : { dimParam: d },
          ),
        },
      },
    },
  };
}

/**
 * Where initializers go when they would not fit in the .onnx file: ONNX's external data format,
 * one weights file beside the model (`location`, relative to it), each tensor at its `offset`.
 */
export interface ExternalDataOptions {
  /** The weights file's name as the model records it: a plain file name, no directories. */
  location: string;
  /** Receives the weights file's bytes, in order; called only when weights go external. */
  write(chunk: Uint8Array): void;
  /**
   * Initializer bytes above which the weights go external; by default 2 GiB − 64 MiB, which
   * leaves room under protobuf's 2 GiB limit for the graph and the spec's JSON. 0 moves them
   * whenever there are any (tests).
   */
  threshold?: number;
}

/** Protobuf cannot encode a message of 2 GiB or more. */
const PROTOBUF_LIMIT = 2 ** 31;
/**
 * The weight bytes over which external data moves weights to their own file: 2 GiB − 64 MiB,
 * under protobuf's 2 GiB message limit.
 */
export const DEFAULT_EXTERNAL_THRESHOLD = PROTOBUF_LIMIT - 2 ** 26;
/** Tensors smaller than this stay inline (onnx's convert_model_to_external_data uses 1 KiB too). */
const EXTERNAL_MIN_BYTES = 1024;
/** Offsets in the weights file are multiples of this, so that a runtime may map it page by page. */
const EXTERNAL_ALIGN = 4096;

export class GraphBuilder {
  readonly nodes: INodeProto[] = [];
  readonly initializers: ITensorProto[] = [];
  readonly opsetImports = new Map<string, number>();
  private readonly used = new Set<string>();
  /** Shared constants by kind and value (`v1,2`, `s0`, `f0.5`). */
  private readonly i64Cache = new Map<string, string>();
  private readonly tensorNames = new WeakMap<Tensor, string>();
  /** Each weight's PyTorch name, by tensor (preferNames), for the initializers made of it. */
  private readonly weightNames = new WeakMap<Tensor, string>();

  constructor(opset: number) {
    this.opsetImports.set('', opset);
  }

  /** A fresh name derived from `hint`, never used before in this graph. */
  name(hint: string): string {
    const base = sanitize(hint);
    let name = base;
    for (let k = 1; this.used.has(name); k++) name = `${base}_${k}`;
    this.used.add(name);
    return name;
  }

  /** Claims an exact name (graph inputs and outputs); throws if it is taken. */
  claim(name: string): string {
    if (this.used.has(name)) throw new Error(`ONNX name ${name} is used twice`);
    this.used.add(name);
    return name;
  }

  /** `name` itself when it is a free weight name ONNX keeps as it is, else a name from `hint`. */
  private weightOrHint(name: string | undefined, hint: string): string {
    if (name !== undefined && WEIGHT_NAME.test(name) && name.length <= 200 && !this.used.has(name))
      return this.claim(name);
    return this.name(hint);
  }

  /**
   * Records the PyTorch names of the weights, so that the initializers holding them keep those
   * names (a user maps them back to the state_dict); a tensor under two names keeps the first.
   */
  preferNames(weights: ReadonlyMap<string, Tensor>): void {
    for (const [name, t] of weights) if (!this.weightNames.has(t)) this.weightNames.set(t, name);
  }

  private pushFloat(name: string, shape: number[], data: Float32Array): string {
    this.initializers.push({ name, dims: shape, dataType: DataType.FLOAT, rawData: bytesOf(data) });
    return name;
  }

  /** A float32 initializer; returns its name. */
  floatInit(hint: string, shape: number[], data: Float32Array): string {
    return this.pushFloat(this.name(hint), shape, data);
  }

  /**
   * A weight as a float32 initializer, under its PyTorch name where ONNX allows (else from
   * `hint`); the same tensor given twice (a tied head reading its embedding's table) is stored
   * once, under the name it got first.
   */
  tensorInit(hint: string, t: Tensor): string {
    const known = this.tensorNames.get(t);
    if (known !== undefined) return known;
    const name = this.pushFloat(
      this.weightOrHint(this.weightNames.get(t), hint),
      t.shape,
      t.data as Float32Array,
    );
    this.tensorNames.set(t, name);
    return name;
  }

  /**
   * A weight converted to an ONNX layout (`data`, e.g. transposed), named after the weight's
   * PyTorch name plus `suffix` (`fc.weight` + `.T`) where ONNX allows, else from `hint`.
   */
  derivedInit(
    t: Tensor,
    suffix: string,
    hint: string,
    shape: number[],
    data: Float32Array,
  ): string {
    const base = this.weightNames.get(t);
    return this.pushFloat(
      this.weightOrHint(base === undefined ? undefined : `${base}${suffix}`, hint),
      shape,
      data,
    );
  }

  /** A float32 scalar initializer (a formula's constant); identical ones are shared. */
  f32(value: number): string {
    const key = `f${value}`;
    const cached = this.i64Cache.get(key);
    if (cached !== undefined) return cached;
    const name = this.floatInit('const_f32', [], Float32Array.of(value));
    this.i64Cache.set(key, name);
    return name;
  }

  /** An int64 initializer (shapes, axes, indices); identical constants are shared. */
  i64(values: number[], scalar = false): string {
    const key = `${scalar ? 's' : 'v'}${values.join(',')}`;
    const cached = this.i64Cache.get(key);
    if (cached !== undefined) return cached;
    const name = this.name(
      `const_i64_${values.length <= 4 ? values.join('_').replace(/-/g, 'm') : 'v'}`,
    );
    const data = BigInt64Array.from(values.map((v) => BigInt(v)));
    this.initializers.push({
      name,
      dims: scalar ? [] : [values.length],
      dataType: DataType.INT64,
      rawData: bytesOf(data),
    });
    this.i64Cache.set(key, name);
    return name;
  }

  /**
   * Adds one node; outputs are named from `hint` (one per entry of `outputs`, which are suffixes)
   * unless given explicitly as `{ name }`. Returns the output names.
   */
  op(
    opType: string,
    inputs: string[],
    hint: string,
    attrs: Record<string, Attr> = {},
    options: { outputs?: (string | { name: string })[]; domain?: string } = {},
  ): string[] {
    const outSpecs = options.outputs ?? [''];
    const outputs = outSpecs.map((o) =>
      typeof o === 'string' ? this.name(o === '' ? hint : `${hint}_${o}`) : o.name,
    );
    const node: INodeProto = {
      opType,
      name: this.name(`${hint}_${opType}`),
      input: inputs,
      output: outputs,
      attribute: Object.entries(attrs).map(([k, v]) => toAttribute(k, v)),
    };
    if (options.domain !== undefined && options.domain !== '') {
      node.domain = options.domain;
      if (!this.opsetImports.has(options.domain)) this.opsetImports.set(options.domain, 1);
    }
    this.nodes.push(node);
    return outputs;
  }

  /**
   * The size of `x`'s dim `axis` at run time as an int64 scalar (a Range's limit): Gather(Shape,
   * 0). Not Squeeze or Reshape of the Shape: onnxruntime-web 1.30's WebGPU provider then gives
   * Range a wrong limit in some graphs ("Tensor shape is too large"; reproducer in
   * conformance-browser/repro/range-limit.onnx).
   */
  dimScalar(x: string, axis: number, hint: string): string {
    const attrs: Record<string, Attr> = { start: int(axis) };
    if (axis !== -1) attrs.end = int(axis + 1);
    const size = this.op1('Shape', [x], `${hint}_1`, attrs);
    return this.op1('Gather', [size, this.i64([0], true)], hint, { axis: int(0) });
  }

  /** One-output shorthand for `op`. */
  op1(
    opType: string,
    inputs: string[],
    hint: string,
    attrs: Record<string, Attr> = {},
    domain?: string,
  ): string {
    return this.op(opType, inputs, hint, attrs, { domain })[0];
  }

  /** Renames the value `from` to `to` wherever a node reads or writes it. */
  rename(from: string, to: string): void {
    for (const node of this.nodes) {
      node.input = node.input?.map((n) => (n === from ? to : n));
      node.output = node.output?.map((n) => (n === from ? to : n));
    }
  }

  encode(graph: {
    name: string;
    inputs: IValueInfoProto[];
    outputs: IValueInfoProto[];
    producerName: string;
    producerVersion: string;
    irVersion: number;
    docString?: string;
    metadata: Record<string, string>;
    externalData?: ExternalDataOptions;
  }): Uint8Array {
    const initializers = placeInitializers(this.initializers, graph.externalData);
    const model = onnx.ModelProto.create({
      irVersion: graph.irVersion,
      producerName: graph.producerName,
      producerVersion: graph.producerVersion,
      docString: graph.docString ?? '',
      opsetImport: [...this.opsetImports].map(([domain, version]) => ({ domain, version })),
      metadataProps: Object.entries(graph.metadata).map(([key, value]) => ({ key, value })),
      graph: {
        name: sanitize(graph.name),
        node: this.nodes,
        initializer: initializers,
        input: graph.inputs,
        output: graph.outputs,
      },
    });
    const bytes = onnx.ModelProto.encode(model).finish();
    if (bytes.byteLength >= PROTOBUF_LIMIT)
      throw new RangeError(
        `the ONNX model is ${bytes.byteLength} bytes, over protobuf's 2 GiB limit: lower the external data threshold`,
      );
    // protobufjs hands small messages out as views into a shared slab: return bytes of their own.
    return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
      ? bytes
      : bytes.slice();
  }
}

/**
 * The initializers as they are encoded: inline when they fit, else (with `external`) every one of
 * at least 1 KiB moved to the weights file, which `external.write` receives in order, each tensor
 * at an offset that is a multiple of 4 KiB. Without `external`, weights too big for one protobuf
 * message are an error that says what to pass.
 */
function placeInitializers(
  initializers: readonly ITensorProto[],
  external: ExternalDataOptions | undefined,
): ITensorProto[] {
  const size = initializers.reduce((n, t) => n + (t.rawData?.byteLength ?? 0), 0);
  const threshold = external?.threshold ?? DEFAULT_EXTERNAL_THRESHOLD;
  if (size <= threshold) return [...initializers];
  if (external === undefined)
    throw new RangeError(
      `the weights are ${size} bytes, too many for one ONNX file (protobuf's limit is 2 GiB): ` +
        'write them as external data (toOnnx option externalData; tessera export does)',
    );
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(external.location) || external.location.length > 200)
    throw new RangeError(
      `external data location ${JSON.stringify(external.location)} must be a plain file name ([A-Za-z0-9_.-])`,
    );
  let offset = 0;
  return initializers.map((t) => {
    const raw = t.rawData as Uint8Array | undefined | null;
    if (raw === undefined || raw === null || raw.byteLength < EXTERNAL_MIN_BYTES) return t;
    const pad = (EXTERNAL_ALIGN - (offset % EXTERNAL_ALIGN)) % EXTERNAL_ALIGN;
    if (pad > 0) external.write(new Uint8Array(pad));
    offset += pad;
    external.write(raw);
    const entry = {
      ...t,
      rawData: undefined,
      dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
      externalData: [
        { key: 'location', value: external.location },
        { key: 'offset', value: String(offset) },
        { key: 'length', value: String(raw.byteLength) },
      ],
    };
    offset += raw.byteLength;
    return entry;
  });
}

/** Decodes bytes produced by `toOnnx` (for tests and tools). */
export function decodeModel(bytes: Uint8Array): onnxProto.onnx.ModelProto {
  return onnx.ModelProto.decode(bytes);
}
