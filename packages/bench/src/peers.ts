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

function ortFeeds(ort: OrtModule, inputs: Record<string, Tensor>) {
  return Object.fromEntries(
    Object.entries(inputs).map(([k, t]) => [k, new ort.Tensor(t.dtype, t.data, t.shape)]),
  );
}

export const ortPeer: Peer = {
  label: 'hand-built ORT fused graph',
  appliesTo: (b) => b === 'ort:node' || b === 'ort:wasm',
  supports: (m) => m.preset === 'transformerLM' || m.preset === 'lstm',
  async prepare(m: BenchModel, weights: Weights, backend: string) {
    const { handLstm, handTransformer } = await import('@tessera/backend-ort/bench');
    const c = m.config as Record<string, number>;
    const bytes =
      m.preset === 'transformerLM'
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

export const defaultPeers: Peer[] = [ortPeer];
