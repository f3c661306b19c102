// Incremental decoding on ONNX Runtime (§6.5): decodePlan's prefill and step specs become two ONNX
// graphs, each in its own InferenceSession, and the state (key/value caches, h and c) stays in the
// ort.Tensors one run returns until the next run takes them as inputs. At the ONNX boundary the
// state carries Hugging Face's names (`past_key_values.0.key` in, `present.0.key` out); inside
// Tessera it keeps the spec's (`past_key_values_0_key`, `present_0_key`). README.md "Decoding"
// says which copies remain per step.
import {
  checkStepInputs,
  createDecoder,
  type Decoder,
  type DecoderOptions,
  decodable,
  decodePlan,
  type Limits,
  type ModelSpec,
  type StateSlot,
  type StepModel,
  type Tensor,
  toWeights,
  type Weights,
  weightManifest,
} from '@tessera/spec';
import type * as Ort from 'onnxruntime-node';
import { buildGraph, type OnnxGraph, type ToOnnxOptions } from './compile.js';
import { runFailure, SessionGuard } from './session-guard.js';

type Runtime = typeof Ort;

/** What the decoder's sessions are made with: the model's runtime, options and graph options. */
export interface DecoderContext {
  ort: Runtime;
  sessionOptions: Ort.InferenceSession.SessionOptions;
  /** On webgpu the caches stay in GPU buffers between steps. */
  gpuCaches: boolean;
  graphOptions: ToOnnxOptions;
  limits: Partial<Limits> | undefined;
  /** The variant's label (`ort:node`), for errors. */
  label: string;
}

/**
 * The decoder factory of a compiled spec, or undefined when it cannot decode (then decoder()
 * rejects with decodePlan's reason). It builds its two graphs when called, from copies of the
 * spec and the weights taken now: the model's session holds the weights only in ONNX layouts,
 * and later changes to the caller's must not reach the decoder.
 */
export function decoderFactory(
  spec: ModelSpec,
  weights: Weights,
  context: DecoderContext,
): ((options?: DecoderOptions) => Promise<Decoder>) | undefined {
  if (!mayDecode(spec)) return undefined;
  const frozen = structuredClone(spec);
  const own = snapshot(weights);
  return (options) =>
    createDecoder(frozen, (s) => compileStep(frozen, s, own, context), {
      limits: context.limits,
      ...options,
    });
}

/**
 * decodable(spec) === true; a plan that fails inside the spec package (a bug there, not the
 * user's) counts as decodable, so that compile still succeeds and decoder() reports it.
 */
function mayDecode(spec: ModelSpec): boolean {
  try {
    return decodable(spec) === true;
  } catch {
    return true;
  }
}

/** Private copies of the weights (a tensor given under two names stays one tensor). */
function snapshot(weights: Weights): Weights {
  const copies = new Map<Tensor, Tensor>();
  const own: Weights = new Map();
  for (const [name, t] of toWeights(weights)) {
    let copy = copies.get(t);
    if (copy === undefined) {
      copy = { dtype: t.dtype, shape: [...t.shape], data: t.data.slice() };
      copies.set(t, copy);
    }
    own.set(name, copy);
  }
  return own;
}

/** The ONNX names of a prefill or step spec's state: Hugging Face's, by spec name. */
export function stateNames(state: readonly StateSlot[]): Required<ToOnnxOptions>['onnxNames'] {
  return {
    inputs: Object.fromEntries(state.map((s) => [s.input, s.hfInput])),
    outputs: Object.fromEntries(state.map((s) => [s.output, s.hfOutput])),
  };
}

/** The prefill or step spec `s` of the decoder of `spec`, in a session of its own. */
async function compileStep(
  spec: ModelSpec,
  s: ModelSpec,
  weights: Weights,
  { ort, sessionOptions, gpuCaches, graphOptions, limits, label }: DecoderContext,
): Promise<StepModel<Ort.Tensor>> {
  // decodePlan is deterministic: these are the slots createDecoder feeds.
  const state = decodePlan(spec).state;
  // The step of an encoder–decoder reads none of the encoder's weights: give each graph its own.
  const own = new Set(weightManifest(s).map((w) => w.name));
  const used: Weights = new Map([...weights].filter(([name]) => own.has(name)));
  const graph = buildGraph(s, used, { ...graphOptions, onnxNames: stateNames(state) });
  // h and c stay on the CPU even on webgpu, where ORT runs the recurrences on its CPU fallback.
  const caches = state.filter((slot) => slot.timeDim !== undefined);
  const session = await ort.InferenceSession.create(graph.bytes, {
    ...sessionOptions,
    ...(gpuCaches
      ? {
          preferredOutputLocation: Object.fromEntries(
            caches.map((slot) => [slot.hfOutput, 'gpu-buffer' as const]),
          ),
        }
      : {}),
  });
  return ortStepModel(ort, session, graph, s, state, {
    limits,
    label,
    nodeIds: spec.nodes.map((n) => n.id),
  });
}

/**
 * A compiled prefill or step spec `spec` as createDecoder runs it. The host inputs (the tokens,
 * and the position createDecoder adds) are checked as the other backends' decoders check them
 * (checkStepInputs: each against the step spec, the state by its shapes, then the limits at the
 * bindings the state gives) and wrapped in ort.Tensors; the state handles are fed as they are,
 * and the state outputs handed back as ORT returned them. dispose() waits for a step in flight.
 */
function ortStepModel(
  ort: Runtime,
  session: Ort.InferenceSession,
  graph: OnnxGraph,
  spec: ModelSpec,
  state: readonly StateSlot[],
  context: { limits: Partial<Limits> | undefined; label: string; nodeIds: string[] },
): StepModel<Ort.Tensor> {
  const stateInputs = new Set(state.map((s) => s.input));
  const guard = new SessionGuard(
    session,
    `${context.label} decoder graph ${JSON.stringify(spec.name)}`,
  );
  return {
    async run(inputs, handles, stateOutputs) {
      if (guard.disposed) throw guard.refusal();
      const host: Record<string, Tensor> = {};
      const shapes: Record<string, readonly number[]> = {};
      for (const name of graph.inputs.keys()) {
        if (stateInputs.has(name)) {
          const h = handles[name];
          if (h === undefined) throw new Error(`internal: state ${name} was not given`);
          shapes[name] = h.dims;
        } else host[name] = inputs[name];
      }
      checkStepInputs(spec, host, shapes, { limits: context.limits });
      const feeds: Record<string, Ort.Tensor> = {};
      for (const [name, onnxName] of graph.inputs) {
        if (stateInputs.has(name)) feeds[onnxName] = handles[name];
        else {
          const t = inputs[name];
          feeds[onnxName] = new ort.Tensor(t.dtype, t.data, t.shape);
        }
      }
      return guard.use(async (s) => {
        let results: Ort.InferenceSession.ReturnType;
        try {
          results = await s.run(feeds);
        } catch (e) {
          throw runFailure(e, context.label, context.nodeIds);
        }
        const outputs: Record<string, Tensor> = {};
        const next: Record<string, Ort.Tensor> = {};
        for (const [name, { name: onnxName, dtype }] of graph.outputs) {
          const r = results[onnxName];
          if (stateOutputs.includes(name)) {
            next[name] = r;
            continue;
          }
          const data =
            dtype === 'float32'
              ? new Float32Array(r.data as Float32Array)
              : new Int32Array(r.data as Int32Array);
          outputs[name] = { dtype, shape: r.dims.map(Number), data };
          r.dispose();
        }
        return { outputs, state: next };
      });
    },
    release(released) {
      for (const h of released) h.dispose();
    },
    dispose: () => guard.dispose(),
  };
}
