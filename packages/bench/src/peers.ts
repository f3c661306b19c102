// The yardsticks: for each Tessera backend, the same architecture written by hand for its runtime
// with the same weights. ORT: graphs built directly with ORT's fused operators
// (@tessera/backend-ort/bench). tfjs: the Keras-style tf.layers models
// (@tessera/backend-tfjs/bench). gpujs: those tf.layers models on tfjs's wasm backend.
import { availableParallelism } from 'node:os';
import type { Tensor, Weights } from '@tessera/spec';
import type { BenchModel } from './models.js';
import { benchInputs } from './models.js';
import type { Peer } from './run.js';

type OrtModule = typeof import('onnxruntime-node');

async function ortRuntime(variant: string): Promise<OrtModule> {
  return variant === 'node'
    ? await import('onnxruntime-node')
    : ((await import('onnxruntime-web')) as unknown as OrtModule);
}

/** Tessera tensors as ORT feeds, under the same names. */
export function ortFeeds(ort: OrtModule, inputs: Record<string, Tensor>) {
  return Object.fromEntries(
    Object.entries(inputs).map(([k, t]) => [k, new ort.Tensor(t.dtype, t.data, t.shape)]),
  );
}

/** The hand-built fused ONNX graph of a transformerLM or LSTM-classifier bench model. */
export async function handGraph(m: BenchModel, weights: Weights): Promise<Uint8Array> {
  const { handLstm, handTransformer } = await import('@tessera/backend-ort/bench');
  const c = m.config as Record<string, number>;
  return m.preset === 'transformerLM'
    ? handTransformer(weights, {
        vocab: c.vocabSize,
        d: c.dModel,
        heads: c.nhead,
        ff: c.dimFeedforward,
        layers: c.numLayers,
        time: c.time,
      })
    : handLstm(weights, {
        input: c.inputSize,
        hidden: c.hiddenSize,
        layers: c.numLayers,
        prefix: 'rnn',
        classes: c.numClasses,
        head: 'head',
      });
}

export const ortPeer: Peer = {
  label: 'hand-built ORT fused graph',
  appliesTo: (b) => b === 'ort:node' || b === 'ort:wasm',
  supports: (m) => m.preset === 'transformerLM' || m.preset === 'lstm',
  async prepare(m: BenchModel, weights: Weights, backend: string) {
    const bytes = await handGraph(m, weights);
    const ort = await ortRuntime(backend.split(':')[1]);
    const session = await ort.InferenceSession.create(bytes, {
      graphOptimizationLevel: 'all',
      intraOpNumThreads: availableParallelism(),
      executionProviders: [backend === 'ort:node' ? 'cpu' : 'wasm'],
    });
    const feeds = ortFeeds(ort, benchInputs(m));
    return {
      run: () => session.run(feeds),
      dispose: () => session.release(),
    };
  },
};

/** The hand-written tf.layers model for a bench model, on the given tfjs variant. */
export async function kerasPeer(m: BenchModel, weights: Weights, variant: 'cpu' | 'wasm') {
  const tfjs = await import('@tessera/backend-tfjs');
  await tfjs.ensureTfBackend(variant);
  const tf = await import('@tensorflow/tfjs');
  const k = await import('@tessera/backend-tfjs/bench');
  const c = m.config as Record<string, number>;
  const model =
    m.preset === 'transformerLM'
      ? k.kerasTransformerLM(
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
        )
      : m.preset === 'lstm'
        ? k.kerasLstmClassifier(
            {
              inputSize: c.inputSize,
              hiddenSize: c.hiddenSize,
              numLayers: c.numLayers,
              numClasses: c.numClasses,
              time: c.time,
            },
            weights,
          )
        : k.kerasCnnClassifier(weights);
  const [input] = Object.values(benchInputs(m));
  // The Keras CNN is channels-last (Keras's default); the layout change happens once, untimed.
  const nchw = tf.tensor(input.data, input.shape, input.dtype);
  const x = m.preset === 'cnnClassifier' ? tf.transpose(nchw, [0, 2, 3, 1]) : nchw;
  if (x !== nchw) nchw.dispose();
  return {
    async run() {
      // Other models in the same process may have switched tfjs's global backend.
      await tfjs.ensureTfBackend(variant);
      // The whole batch in one call, as Tessera runs it (predict's default splits at 32).
      const y = model.predict(x, { batchSize: m.batch }) as import('@tensorflow/tfjs').Tensor;
      await y.data();
      y.dispose();
    },
    async dispose() {
      x.dispose();
      model.dispose();
    },
  };
}

const kerasModels = (m: BenchModel) =>
  m.preset === 'transformerLM' || m.preset === 'lstm' || m.preset === 'cnnClassifier';

export const tfLayersPeer: Peer = {
  label: 'hand-written tf.layers',
  appliesTo: (b) => b === 'tfjs:cpu' || b === 'tfjs:wasm',
  supports: kerasModels,
  prepare: (m, weights, backend) => kerasPeer(m, weights, backend === 'tfjs:cpu' ? 'cpu' : 'wasm'),
};

/** gpu.js is judged against tfjs's wasm backend running the hand-written models. */
export const tfjsWasmPeer: Peer = {
  label: 'tf.layers on tfjs-wasm',
  appliesTo: (b) => b.startsWith('gpujs:'),
  supports: kerasModels,
  prepare: (m, weights) => kerasPeer(m, weights, 'wasm'),
};

export const defaultPeers: Peer[] = [ortPeer, tfLayersPeer, tfjsWasmPeer];
