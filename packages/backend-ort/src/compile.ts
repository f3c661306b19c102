// The compiler: a normalised spec and its PyTorch-named weights → an ONNX ModelProto (bytes).
// The spec is lowered first (lowerSpec with the attention path's kernel table: every composite
// whose entry is 'decompose' becomes its sub-nodes), then its nodes are emitted in order
// (topological); every value is tracked in a Map keyed by reference (`id`, `id:port`, input name),
// and every ONNX name is sanitised and unique. Graph passes (fuse.ts) run on the result.
import {
  appendedLengths,
  checkWeights,
  inferShapes,
  lengthsUses,
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
import { type ExternalDataOptions, GraphBuilder, sanitize, valueInfo } from './graph-builder.js';
import { attentionPaths, gqaRefusal, kernelTable } from './kernels/index.js';
import type {
  AttentionPath,
  EmitContext,
  Emitted,
  KernelEntryOf,
  KernelTable,
  OnnxFlavour,
} from './kernels/types.js';
import { onnxFlavours } from './kernels/types.js';
import { VERSION } from './version.js';

/**
 * Options of toOnnx and buildGraph: the flavour, the attention lowering, the opset, graph names and
 * external data.
 */
export interface ToOnnxOptions {
  /**
   * Which operators the graph may use (README.md, "Flavours"): 'portable', the default ONNX
   * domain only, for any ONNX tool (toOnnx's default); 'ort', ONNX Runtime's contrib operators
   * too (the fused attention paths, SkipLayerNormalization), the fastest on ONNX Runtime. Left out
   * in buildGraph (the backend's compile), it is 'ort' with the com.microsoft attention paths and
   * 'portable' with the others: the graphs the backend compiled before flavours existed.
   */
  flavour?: OnnxFlavour;
  /**
   * How multi-head attention is lowered. Default 'ms-attention' (com.microsoft Attention, the
   * fastest measured on ORT 1.30 CPU and wasm; see README.md) in the 'ort' flavour, 'matmul' in
   * the portable one, which refuses the com.microsoft paths.
   */
  attention?: AttentionPath;
  /**
   * The default ONNX domain's opset, MIN_OPSET to MAX_OPSET: 21 by default, 23 when attention is
   * 'onnx-attention'. Operators newer than it are lowered to older ones (README.md, "Opsets").
   */
  opset?: number;
  /**
   * ONNX names for some graph inputs and outputs, by spec input or output name, in place of the
   * sanitised spec names: a decoder's state as Hugging Face names it (`past_key_values.0.key`,
   * `present.0.key`). Letters, digits, `_` and `.` only.
   */
  onnxNames?: { inputs?: Record<string, string>; outputs?: Record<string, string> };
  /**
   * Weights over the threshold (2 GiB − 64 MiB by default) go to a weights file beside the model
   * (ONNX's external data) instead of an error; see ExternalDataOptions.
   */
  externalData?: ExternalDataOptions;
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

/**
 * The attention lowering used when none is given (in the `ort` flavour): com.microsoft Attention.
 */
export const DEFAULT_ATTENTION: AttentionPath = 'ms-attention';
/** The metadata_props key under which every written model keeps its spec as JSON. */
export const METADATA_SPEC_KEY = 'tessera.spec';
/** The oldest opset written: LayerNormalization is opset 17. */
export const MIN_OPSET = 17;
/** The newest opset onnxruntime 1.30 loads (27 is refused as "under development"). */
export const MAX_OPSET = 26;
/** The ONNX opset written when none is given (23 when attention is 'onnx-attention'). */
export const DEFAULT_OPSET = 21;

/** The attention paths that write com.microsoft operators: the 'ort' flavour only. */
const ORT_ONLY_PATHS: readonly AttentionPath[] = ['ms-attention', 'ms-mha'];

/** ONNX IR version matching each opset (onnx/onnx docs/Versioning.md, onnx/helper.py). */
function irVersionFor(opset: number): number {
  if (opset >= 26) return 13;
  if (opset >= 24) return 12;
  if (opset >= 23) return 11;
  if (opset >= 21) return 10;
  if (opset >= 19) return 9;
  return 8;
}

/**
 * Compiles to ONNX bytes you can save as `.onnx` and open in any ONNX tool: the portable flavour
 * unless `flavour: 'ort'` is given.
 *
 * @example
 * writeFileSync('tiny-gpt.onnx', toOnnx(spec, initWeights(spec, 0)));
 * const fused = toOnnx(spec, weights, { flavour: 'ort', attention: 'ms-attention' }); // ORT only
 */
export function toOnnx(
  spec: ModelSpec,
  weights: Weights | Record<string, Tensor>,
  options: ToOnnxOptions = {},
): Uint8Array {
  return buildGraph(spec, weights, { ...options, flavour: options.flavour ?? 'portable' }).bytes;
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
 * or the key/value ports) or with two inputs (cross-attention: the fused emitters read one), and
 * an `attention` GroupQueryAttention cannot express (gqaRefusal in kernels/attention.ts).
 */
function lowerFor(spec: ModelSpec, table: KernelTable): LoweredSpec {
  return lowerWhere(
    spec,
    (op, node) =>
      table[op] === 'decompose' ||
      (node.op === 'multiHeadAttention' && (node.cache === true || node.input.length > 1)) ||
      (node.op === 'attention' && gqaRefusal(node) !== undefined) ||
      // ORT's fused attentions take no key padding mask: a composite with lengths decomposes
      // (its masks become lengthMask nodes).
      lengthsUses(node).length > 0,
  );
}

/** The kernels that read lengths appended to their inputs (§6.3; see splitLengths). */
const readsLengths: ReadonlySet<OpName> = new Set(['mean', 'rnn', 'lstm', 'gru']);

function requireSupported(table: KernelTable, nodes: readonly LoweredNode[]): void {
  for (const node of nodes) {
    const support = supportOf(table, node.op);
    if (support !== true) throw new UnsupportedOpError(node.op, support, node.origin ?? node.id);
    if (appendedLengths(node) > 0 && !readsLengths.has(node.op))
      throw new UnsupportedOpError(
        node.op,
        'lengths (padded batches) are not implemented on ORT yet',
        node.origin ?? node.id,
      );
  }
}

/** The flavour, attention path and opset in force, each checked; refusals say what to pass. */
function resolveOptions(options: ToOnnxOptions): {
  flavour: OnnxFlavour;
  attention: AttentionPath;
  opset: number;
} {
  const given = options.attention;
  if (given !== undefined && !attentionPaths.includes(given)) {
    throw new RangeError(
      `unknown attention lowering ${JSON.stringify(given)}; use one of ${attentionPaths.join(', ')}`,
    );
  }
  const flavour =
    options.flavour ?? (given === undefined || ORT_ONLY_PATHS.includes(given) ? 'ort' : 'portable');
  if (!onnxFlavours.includes(flavour))
    throw new RangeError(
      `unknown ONNX flavour ${JSON.stringify(flavour)}; use one of ${onnxFlavours.join(', ')}`,
    );
  const attention = given ?? (flavour === 'ort' ? DEFAULT_ATTENTION : 'matmul');
  if (flavour === 'portable' && ORT_ONLY_PATHS.includes(attention))
    throw new RangeError(
      `attention '${attention}' writes com.microsoft operators, which only ONNX Runtime runs: ` +
        `the portable flavour takes 'matmul' or 'onnx-attention' (or pass flavour 'ort')`,
    );
  const opset = options.opset ?? (attention === 'onnx-attention' ? 23 : DEFAULT_OPSET);
  if (!Number.isInteger(opset) || opset < MIN_OPSET || opset > MAX_OPSET)
    throw new RangeError(
      `opset ${opset} is not supported: use ${MIN_OPSET} to ${MAX_OPSET} (LayerNormalization needs 17; onnxruntime 1.30 runs up to ${MAX_OPSET})`,
    );
  // The opset-23 Attention operator below opset 23: its lowering is the spec's decomposition.
  return {
    flavour,
    attention: attention === 'onnx-attention' && opset < 23 ? 'matmul' : attention,
    opset,
  };
}

/**
 * Writes the spec as an ONNX graph with its weights, and the ONNX names of its inputs and outputs:
 * what the backend's compile opens. Throws WeightError, or UnsupportedOpError naming the node.
 */
export function buildGraph(
  spec: ModelSpec,
  weightsIn: Weights | Record<string, Tensor>,
  options: ToOnnxOptions = {},
): OnnxGraph {
  const { flavour, attention, opset } = resolveOptions(options);
  const table = kernelTable(attention);
  requireSupported(table, spec.nodes);
  const weights = toWeights(weightsIn);
  checkWeights(spec, weights);
  const lowered = lowerFor(spec, table);
  requireSupported(table, lowered.nodes);

  const b = new GraphBuilder(opset);
  b.preferNames(weights);
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

  const emitOptions = { opset, attention, flavour };
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
  // Only the 'ort' flavour may use com.microsoft ops; the portable one stays plain ONNX.
  // A sum that is a graph output, or that an output's Identity reads, counts as read.
  if (flavour === 'ort')
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
    externalData: options.externalData,
  });
  return { bytes, inputs, outputs, opset };
}
