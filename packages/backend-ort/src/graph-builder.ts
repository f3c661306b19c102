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

export class GraphBuilder {
  readonly nodes: INodeProto[] = [];
  readonly initializers: ITensorProto[] = [];
  readonly opsetImports = new Map<string, number>();
  private readonly used = new Set<string>();
  private readonly i64Cache = new Map<string, string>();
  private readonly tensorNames = new WeakMap<Tensor, string>();

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

  /** A float32 initializer; returns its name. */
  floatInit(hint: string, shape: number[], data: Float32Array): string {
    const name = this.name(hint);
    this.initializers.push({ name, dims: shape, dataType: DataType.FLOAT, rawData: bytesOf(data) });
    return name;
  }

  /**
   * A weight as a float32 initializer; the same tensor given twice (a tied head reading its
   * embedding's table) is stored once, under the name it got first.
   */
  tensorInit(hint: string, t: Tensor): string {
    const known = this.tensorNames.get(t);
    if (known !== undefined) return known;
    const name = this.floatInit(hint, t.shape, t.data as Float32Array);
    this.tensorNames.set(t, name);
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
  }): Uint8Array {
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
        initializer: this.initializers,
        input: graph.inputs,
        output: graph.outputs,
      },
    });
    const bytes = onnx.ModelProto.encode(model).finish();
    // protobufjs hands small messages out as views into a shared slab: return bytes of their own.
    return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
      ? bytes
      : bytes.slice();
  }
}

/** Decodes bytes produced by `toOnnx` (for tests and tools). */
export function decodeModel(bytes: Uint8Array): onnxProto.onnx.ModelProto {
  return onnx.ModelProto.decode(bytes);
}
