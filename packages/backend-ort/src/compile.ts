// The compiler: a normalised spec and its PyTorch-named weights → an ONNX ModelProto (bytes).
// Nodes are emitted in spec.nodes order (topological); every value is tracked in a Map keyed by
// reference (`id`, `id:port`, input name), and every ONNX name is sanitised and unique.
import {
  checkWeights,
  type DecomposedNode,
  inferShapes,
  type ModelSpec,
  type NodeOf,
  type NodeSpec,
  opDef,
  parseRef,
  type Tensor,
  type TensorInfo,
  toWeights,
  UnsupportedOpError,
  type Weights,
} from '@tessera/spec';
import { fuseSkipLayerNorms } from './fuse.js';
import { GraphBuilder, sanitize, valueInfo } from './graph-builder.js';
import { attentionPaths, kernels } from './kernels/index.js';
import type { AttentionPath, EmitContext, Emitted, Emitter, Kernel } from './kernels/types.js';
import { VERSION } from './version.js';

export interface ToOnnxOptions {
  /**
   * How multi-head attention is lowered. Default 'ms-attention' (com.microsoft Attention, the
   * fastest measured on ORT 1.30 CPU and wasm; see README.md).
   */
  attention?: AttentionPath;
  /** The default ONNX opset: 21, or 23 when attention is 'onnx-attention' (which needs it). */
  opset?: number;
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

export function unsupportedReason(op: string): string | undefined {
  if (!Object.hasOwn(kernels, op)) return `unknown op ${JSON.stringify(op)}`;
  const k = (kernels as Record<string, Kernel<never>>)[op];
  return typeof k === 'function' ? undefined : k.unsupported;
}

export function buildGraph(
  spec: ModelSpec,
  weightsIn: Weights | Record<string, Tensor>,
  options: ToOnnxOptions = {},
): OnnxGraph {
  for (const node of spec.nodes) {
    const reason = unsupportedReason(node.op);
    if (reason !== undefined) throw new UnsupportedOpError(node.op, reason, node.id);
  }
  const weights = toWeights(weightsIn);
  checkWeights(spec, weights);
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

  const b = new GraphBuilder(opset);
  const shapes = new Map<string, TensorInfo>(inferShapes(spec));
  const values = new Map<string, string>();
  const inputs = new Map<string, string>();
  const graphInputs = Object.entries(spec.inputs).map(([name, info]) => {
    const onnxName = b.claim(sanitize(name));
    inputs.set(name, onnxName);
    values.set(name, onnxName);
    // Symbolic dims become dim_params named after the spec's dims.
    return valueInfo(onnxName, info.dtype, info.shape);
  });
  const outputs = new Map<string, { name: string; dtype: 'float32' | 'int32' }>();
  for (const [name, ref] of Object.entries(spec.outputs)) {
    // The spec's output name when free (an output may share an input's name), claimed before any
    // node is emitted so generated names stay clear of it.
    outputs.set(name, { name: b.name(name), dtype: shapes.get(ref)!.dtype });
  }

  const usedPorts = new Map<string, Set<string>>();
  const notePort = (ref: string) => {
    const { node, port } = parseRef(ref);
    if (port === null) return;
    if (!usedPorts.has(node)) usedPorts.set(node, new Set());
    usedPorts.get(node)!.add(port);
  };
  for (const node of spec.nodes) node.input.forEach(notePort);
  Object.values(spec.outputs).forEach(notePort);

  const emitOptions = { opset, attention };
  const emitSubNode = (s: DecomposedNode): string => {
    // Sub-node ids contain a dot, so they cannot collide with the spec's own ids.
    const subNode = s as unknown as NodeSpec;
    const info = opDef(subNode.op)!.infer(
      subNode,
      subNode.input.map((ref) => shapes.get(ref)!),
    );
    shapes.set(subNode.id, info.out);
    emit(subNode);
    return values.get(subNode.id)!;
  };
  const emit = (node: NodeSpec) => {
    const kernel = kernels[node.op] as Emitter<typeof node.op>;
    const ctx: EmitContext = {
      b,
      node,
      hint: sanitize(node.id),
      inputs: node.input.map((ref) => values.get(ref)!),
      inShapes: node.input.map((ref) => shapes.get(ref)!),
      out: shapes.get(node.id)!,
      usedPorts: usedPorts.get(node.id) ?? new Set(),
      weight: (name) => weights.get(`${node.id}.${name}`)!,
      options: emitOptions,
      emitDecomposition: () => {
        const def = opDef(node.op)!;
        if (def.decompose === undefined) throw new Error(`op ${node.op} has no decomposition`);
        const { nodes: sub, output } = def.decompose(node, node.id, node.input);
        for (const s of sub) emitSubNode(s);
        return values.get(output)!;
      },
      emitSubNode: (s) => emitSubNode(s),
      value: (ref) => values.get(ref)!,
      bind: (ref, name, info) => {
        if (!ref.startsWith(`${node.id}.`) || values.has(ref))
          throw new Error(
            `cannot bind ${JSON.stringify(ref)} from node ${JSON.stringify(node.id)}`,
          );
        values.set(ref, name);
        shapes.set(ref, info);
      },
    };
    const result: Emitted = kernel(ctx as EmitContext<NodeOf<typeof node.op>>);
    if (typeof result === 'string') values.set(node.id, result);
    else {
      values.set(node.id, result.out);
      for (const [port, name] of Object.entries(result.ports))
        values.set(`${node.id}:${port}`, name);
    }
  };
  for (const node of spec.nodes) emit(node);
  // Only the com.microsoft lowerings may use com.microsoft ops; the portable ones stay plain ONNX.
  if (attention === 'ms-attention' || attention === 'ms-mha') fuseSkipLayerNorms(b);
  else b.residualSums.clear();

  const inputDims = new Set(
    Object.values(spec.inputs).flatMap((i) => i.shape.filter((d) => typeof d === 'string')),
  );
  const graphOutputs = Object.entries(spec.outputs).map(([name, ref]) => {
    const { name: onnxName, dtype } = outputs.get(name)!;
    b.op('Identity', [values.get(ref)!], onnxName, {}, { outputs: [{ name: onnxName }] });
    // Derived symbolic dims (`batch*16`) are left unnamed: ORT infers them.
    const shape = shapes
      .get(ref)!
      .shape.map((d) => (typeof d === 'number' || inputDims.has(d) ? d : null));
    return valueInfo(onnxName, dtype, shape);
  });

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
