// The compiler: a normalised spec and its PyTorch-named weights → an ONNX ModelProto (bytes).
// The spec is lowered first (lowerSpec with the attention path's kernel table: every composite
// whose entry is 'decompose' becomes its sub-nodes), then its nodes are emitted in order
// (topological); every value is tracked in a Map keyed by reference (`id`, `id:port`, input name),
// and every ONNX name is sanitised and unique. Graph passes (fuse.ts) run on the result.
import {
  checkWeights,
  inferShapes,
  type LoweredNode,
  type LoweredSpec,
  lowerWhere,
  type ModelSpec,
  type OpName,
  parseRef,
  supportOf,
  type Tensor,
  type TensorInfo,
  toWeights,
  UnsupportedOpError,
  type Weights,
  weightName,
} from '@tessera/spec';
import { fuseSkipLayerNorms } from './fuse.js';
import { GraphBuilder, sanitize, valueInfo } from './graph-builder.js';
import { attentionPaths, kernelTable } from './kernels/index.js';
import type {
  AttentionPath,
  EmitContext,
  Emitted,
  KernelEntryOf,
  KernelTable,
} from './kernels/types.js';
import { VERSION } from './version.js';

export interface ToOnnxOptions {
  /**
   * How multi-head attention is lowered. Default 'ms-attention' (com.microsoft Attention, the
   * fastest measured on ORT 1.30 CPU and wasm; see README.md).
   */
  attention?: AttentionPath;
  /** The default ONNX opset: 21, or 23 when attention is 'onnx-attention' (which needs it). */
  opset?: number;
  /**
   * ONNX names for some graph inputs and outputs, by spec input or output name, in place of the
   * sanitised spec names: a decoder's state as Hugging Face names it (`past_key_values.0.key`,
   * `present.0.key`). Letters, digits, `_` and `.` only.
   */
  onnxNames?: { inputs?: Record<string, string>; outputs?: Record<string, string> };
}

/** What the runtime needs besides the bytes: the ONNX names of the spec's inputs and outputs. */
export interface OnnxGraph {
  bytes: Uint8Array;
  /** Spec input name → ONNX graph input name. */
  inputs: Map<string, string>;
  /** Spec output name → ONNX graph output name and dtype. */
  outputs: Map<string, { name: string; dtype: 'float32' | 'int32' }>;
  opset: number;
}

export const DEFAULT_ATTENTION: AttentionPath = 'ms-attention';
export const METADATA_SPEC_KEY = 'tessera.spec';

/** ONNX IR version matching each opset (onnx/onnx docs/Versioning.md). */
function irVersionFor(opset: number): number {
  if (opset >= 23) return 11;
  if (opset >= 21) return 10;
  if (opset >= 19) return 9;
  return 8;
}

/** Compiles to ONNX bytes you can save as `.onnx` and open in any ONNX tool. */
export function toOnnx(
  spec: ModelSpec,
  weights: Weights | Record<string, Tensor>,
  options: ToOnnxOptions = {},
): Uint8Array {
  return buildGraph(spec, weights, options).bytes;
}

/** true, or why ORT cannot run `op` (the same on every attention path). */
export function supports(op: string): true | string {
  return supportOf(kernelTable(DEFAULT_ATTENTION), op);
}

const ONNX_NAME = /^[A-Za-z_][A-Za-z0-9_.]*$/;

/** The ONNX name `names` gives to `name`, checked, or undefined. */
function givenName(names: Record<string, string> | undefined, name: string): string | undefined {
  if (names === undefined || !Object.hasOwn(names, name)) return undefined;
  const given = names[name];
  if (!ONNX_NAME.test(given) || given.length > 200)
    throw new RangeError(`ONNX name ${JSON.stringify(given)} for ${name} is not [A-Za-z0-9_.]`);
  return given;
}

/**
 * lowerSpec with the path's table, where a multiHeadAttention the fused path does not cover
 * decomposes too: one with `cache: true` (the fused ops are emitted without past keys and values
 * or the key/value ports) or with two inputs (cross-attention: the fused emitters read one).
 */
function lowerFor(spec: ModelSpec, table: KernelTable): LoweredSpec {
  return lowerWhere(
    spec,
    (op, node) =>
      table[op] === 'decompose' ||
      (node.op === 'multiHeadAttention' && (node.cache === true || node.input.length > 1)),
  );
}

function requireSupported(table: KernelTable, nodes: readonly LoweredNode[]): void {
  for (const node of nodes) {
    const support = supportOf(table, node.op);
    if (support !== true) throw new UnsupportedOpError(node.op, support, node.origin ?? node.id);
  }
}

export function buildGraph(
  spec: ModelSpec,
  weightsIn: Weights | Record<string, Tensor>,
  options: ToOnnxOptions = {},
): OnnxGraph {
  const attention = options.attention ?? DEFAULT_ATTENTION;
  if (!attentionPaths.includes(attention)) {
    throw new RangeError(
      `unknown attention lowering ${JSON.stringify(attention)}; use one of ${attentionPaths.join(', ')}`,
    );
  }
  const opset = options.opset ?? (attention === 'onnx-attention' ? 23 : 21);
  if (opset < 20) throw new RangeError(`opset ${opset} is too old: Gelu needs opset 20`);
  if (attention === 'onnx-attention' && opset < 23)
    throw new RangeError(`attention 'onnx-attention' needs opset 23, got ${opset}`);
  const table = kernelTable(attention);
  requireSupported(table, spec.nodes);
  const weights = toWeights(weightsIn);
  checkWeights(spec, weights);
  const lowered = lowerFor(spec, table);
  requireSupported(table, lowered.nodes);

  const b = new GraphBuilder(opset);
  const shapes = inferShapes(lowered);
  const values = new Map<string, string>();
  /** Dtype and shape by ONNX name, of the graph inputs and every node's outputs (for fuse.ts). */
  const onnxShapes = new Map<string, TensorInfo>();
  const setValue = (ref: string, name: string) => {
    values.set(ref, name);
    onnxShapes.set(name, shapes.get(ref)!);
  };
  const inputs = new Map<string, string>();
  const graphInputs = Object.entries(spec.inputs).map(([name, info]) => {
    const onnxName = b.claim(givenName(options.onnxNames?.inputs, name) ?? sanitize(name));
    inputs.set(name, onnxName);
    setValue(name, onnxName);
    // Symbolic dims become dim_params named after the spec's dims.
    return valueInfo(onnxName, info.dtype, info.shape);
  });
  const outputs = new Map<string, { name: string; dtype: 'float32' | 'int32' }>();
  for (const [name, ref] of Object.entries(lowered.outputs)) {
    // The spec's output name when free (an output may share an input's name), claimed before any
    // node is emitted so generated names stay clear of it.
    const given = givenName(options.onnxNames?.outputs, name);
    outputs.set(name, {
      name: given === undefined ? b.name(name) : b.claim(given),
      dtype: shapes.get(ref)!.dtype,
    });
  }

  const usedPorts = new Map<string, Set<string>>();
  const notePort = (ref: string) => {
    const { node, port } = parseRef(ref);
    if (port === null) return;
    if (!usedPorts.has(node)) usedPorts.set(node, new Set());
    usedPorts.get(node)!.add(port);
  };
  for (const node of lowered.nodes) node.input.forEach(notePort);
  Object.values(lowered.outputs).forEach(notePort);

  const emitOptions = { opset, attention };
  for (const node of lowered.nodes) {
    // The table's entry for this node's op: TypeScript cannot follow the link between node.op and
    // the node's type through the table lookup, hence the one cast.
    const kernel = table[node.op] as KernelEntryOf<OpName>;
    if (typeof kernel !== 'function')
      throw new Error(`internal: ${node.op} node ${node.id} was not lowered`);
    const ctx: EmitContext = {
      b,
      node,
      hint: sanitize(node.id),
      inputs: node.input.map((ref) => values.get(ref)!),
      inShapes: node.input.map((ref) => shapes.get(ref)!),
      out: shapes.get(node.id)!,
      usedPorts: usedPorts.get(node.id) ?? new Set(),
      weight: (param) => weights.get(weightName(node, param))!,
      options: emitOptions,
    };
    const result: Emitted = kernel(ctx);
    if (typeof result === 'string') setValue(node.id, result);
    else {
      setValue(node.id, result.out);
      for (const [port, name] of Object.entries(result.ports)) setValue(`${node.id}:${port}`, name);
    }
  }

  const inputDims = new Set(
    Object.values(spec.inputs).flatMap((i) => i.shape.filter((d) => typeof d === 'string')),
  );
  // A graph output is the node output it names, renamed, where it can be: ORT keeps an Identity
  // whose input has other readers as a copy (a decoder's present keys and values, which the
  // attention reads too: the whole cache, copied every step). An output that is a graph input, or
  // the same value as an earlier output, stays an Identity.
  const produced = new Set(b.nodes.flatMap((n) => n.output ?? []));
  const renamed = new Map<string, string>();
  const graphOutputs = Object.entries(lowered.outputs).map(([name, ref]) => {
    const { name: onnxName, dtype } = outputs.get(name)!;
    const value = values.get(ref)!;
    if (produced.has(value) && !renamed.has(value)) {
      b.rename(value, onnxName);
      renamed.set(value, onnxName);
      onnxShapes.set(onnxName, onnxShapes.get(value)!);
    } else {
      const source = renamed.get(value) ?? value;
      b.op('Identity', [source], onnxName, {}, { outputs: [{ name: onnxName }] });
    }
    // Derived symbolic dims (`batch*16`) are left unnamed: ORT infers them.
    const shape = shapes
      .get(ref)!
      .shape.map((d) => (typeof d === 'number' || inputDims.has(d) ? d : null));
    return valueInfo(onnxName, dtype, shape);
  });
  // Only the com.microsoft lowerings may use com.microsoft ops; the portable ones stay plain ONNX.
  // A sum that is a graph output, or that an output's Identity reads, counts as read.
  if (attention === 'ms-attention' || attention === 'ms-mha')
    fuseSkipLayerNorms(
      b,
      (name) => onnxShapes.get(name),
      new Set(graphOutputs.map((o) => o.name!)),
    );

  const bytes = b.encode({
    name: spec.name,
    inputs: graphInputs,
    outputs: graphOutputs,
    producerName: 'tessera',
    producerVersion: VERSION,
    irVersion: irVersionFor(opset),
    docString: spec.description,
    metadata: { [METADATA_SPEC_KEY]: JSON.stringify(spec) },
  });
  return { bytes, inputs, outputs, opset };
}
