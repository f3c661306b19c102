// The yardsticks: for a Tessera backend variant, the same architecture written by hand for a
// runtime, with the same weights. A variant's manifest names its peer (`peer: { name, variant }`):
// `onnx-fused`, the graphs built directly with ORT's fused operators
// (@tessera/backend-ort/bench), on that ORT variant; `tf-layers`, the Keras-style tf.layers models
// (@tessera/backend-tfjs/bench), on that tfjs variant. This table is keyed by the peer's name.
import type { LayersModel } from '@tensorflow/tfjs';
import type { Weights } from '@tessera/spec';
import type { BenchModel } from './models.js';
import { benchInputs } from './models.js';
import type { Peer, PeerTable } from './run.js';

/** The hand-built fused ONNX graph of a transformerLM, llamaLM or LSTM-classifier bench model. */
export async function handGraph(m: BenchModel, weights: Weights): Promise<Uint8Array> {
  const { handLlama, handLstm, handTransformer } = await import('@tessera/backend-ort/bench');
  const c = m.config as Record<string, number>;
  switch (m.preset) {
    case 'transformerLM':
      return handTransformer(weights, {
        vocab: c.vocabSize,
        d: c.dModel,
        heads: c.nhead,
        ff: c.dimFeedforward,
        layers: c.numLayers,
        time: c.time,
      });
    case 'llamaLM':
      return handLlama(weights, {
        vocab: c.vocabSize,
        hidden: c.hiddenSize,
        layers: c.numLayers,
        heads: c.numHeads,
        kvHeads: c.numKeyValueHeads,
        intermediate: c.intermediateSize,
        maxLength: c.maxLength,
        ropeTheta: c.ropeTheta,
        rmsNormEps: c.rmsNormEps,
      });
    case 'lstm':
      return handLstm(weights, {
        input: c.inputSize,
        hidden: c.hiddenSize,
        layers: c.numLayers,
        prefix: 'rnn',
        classes: c.numClasses,
        head: 'head',
      });
    default:
      throw new Error(`hand-built ORT graph: none for ${m.id}`);
  }
}

/** The hand-built graph, in a session of the ORT variant with the options Tessera's models get. */
export function onnxFusedPeer(variant: string): Peer {
  return {
    label: 'hand-built ORT fused graph',
    supports: (m) => m.preset === 'transformerLM' || m.preset === 'llamaLM' || m.preset === 'lstm',
    async prepare(m, weights) {
      const { createSession } = await import('@tessera/backend-ort/bench');
      const session = await createSession(await handGraph(m, weights), variant);
      return { run: session.runner(benchInputs(m)), dispose: () => session.release() };
    },
    // ORT's profiler writes a trace file: it runs the graph on onnxruntime-node.
    async profile(m, weights, runs) {
      const { profileOnnx } = await import('@tessera/backend-ort/profile');
      return {
        unit: 'ONNX op',
        calls: await profileOnnx(await handGraph(m, weights), benchInputs(m), runs),
      };
    },
  };
}

/** The hand-written tf.layers model of a bench model (on whatever tfjs backend is current). */
export async function kerasModel(m: BenchModel, weights: Weights): Promise<LayersModel> {
  const k = await import('@tessera/backend-tfjs/bench');
  const c = m.config as Record<string, number>;
  switch (m.preset) {
    case 'transformerLM':
      return k.kerasTransformerLM(
        {
          vocabSize: c.vocabSize,
          dModel: c.dModel,
          nhead: c.nhead,
          numLayers: c.numLayers,
          dimFeedforward: c.dimFeedforward,
          maxLength: Math.max(512, c.time),
          time: c.time,
        },
        weights,
      );
    case 'llamaLM':
      return k.kerasLlamaLM(
        {
          vocabSize: c.vocabSize,
          hiddenSize: c.hiddenSize,
          numLayers: c.numLayers,
          numHeads: c.numHeads,
          numKeyValueHeads: c.numKeyValueHeads,
          intermediateSize: c.intermediateSize,
          ropeTheta: c.ropeTheta,
          rmsNormEps: c.rmsNormEps,
          maxLength: c.maxLength,
          time: c.time,
        },
        weights,
      );
    case 'lstm':
      return k.kerasLstmClassifier(
        {
          inputSize: c.inputSize,
          hiddenSize: c.hiddenSize,
          numLayers: c.numLayers,
          numClasses: c.numClasses,
          time: c.time,
        },
        weights,
      );
    case 'cnnClassifier':
      return k.kerasCnnClassifier(weights);
    default:
      throw new Error(`tf.layers peer: none for ${m.id}`);
  }
}

/** The hand-written tf.layers model for a bench model, on the given tfjs variant. */
export async function kerasPeer(m: BenchModel, weights: Weights, variant: string) {
  const tfjs = await import('@tessera/backend-tfjs');
  // A name that is not a tfjs variant is refused here, with the list of those there are.
  const tfVariant = tfjs.tfVariants.find((v) => v === variant);
  if (tfVariant === undefined)
    throw new Error(`tf.layers peer: no tfjs variant ${JSON.stringify(variant)}`);
  await tfjs.ensureTfBackend(tfVariant);
  const tf = await import('@tensorflow/tfjs');
  const model = await kerasModel(m, weights);
  const [input] = Object.values(benchInputs(m));
  // The Keras CNN is channels-last (Keras's default); the layout change happens once, untimed.
  const nchw = tf.tensor(input.data, input.shape, input.dtype);
  const x = m.preset === 'cnnClassifier' ? tf.transpose(nchw, [0, 2, 3, 1]) : nchw;
  if (x !== nchw) nchw.dispose();
  return {
    /** One forward pass of the whole batch on the tf.layers model, its output read back. */
    async run() {
      // Other models in the same process may have switched tfjs's global backend.
      await tfjs.ensureTfBackend(tfVariant);
      // The whole batch in one call, as Tessera runs it (predict's default splits at 32).
      const y = model.predict(x, { batchSize: m.batch }) as import('@tensorflow/tfjs').Tensor;
      await y.data();
      y.dispose();
    },
    /** Frees the input tensor and the tf.layers model. */
    async dispose() {
      x.dispose();
      model.dispose();
    },
  };
}

/** The hand-written tf.layers models on a tfjs variant (the yardstick of tfjs and of gpu.js). */
export function tfLayersPeer(variant: string): Peer {
  return {
    label: `tf.layers on tfjs-${variant}`,
    supports: (m) =>
      m.preset === 'transformerLM' ||
      m.preset === 'llamaLM' ||
      m.preset === 'lstm' ||
      m.preset === 'cnnClassifier',
    prepare: (m, weights) => kerasPeer(m, weights, variant),
    async profile(m, weights, runs) {
      const { profileKernels } = await import('@tessera/backend-tfjs/profile');
      const prepared = await kerasPeer(m, weights, variant);
      try {
        return { unit: 'tfjs kernel', calls: await profileKernels(() => prepared.run(), runs) };
      } finally {
        await prepared.dispose();
      }
    },
  };
}

/** Every peer, by the name a manifest gives it, made for the variant the manifest gives. */
export const defaultPeers: PeerTable = {
  'onnx-fused': onnxFusedPeer,
  'tf-layers': tfLayersPeer,
};
