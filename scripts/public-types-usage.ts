// What scripts/check-public-types.mjs compiles against the packed packages, as a user's project
// under `strict`, `exactOptionalPropertyTypes` and `noUncheckedIndexedAccess` (never run): the
// main API of every package, called as the READMEs call it. A `@ts-expect-error` must meet an
// error, so the typed-spec checks cannot pass by the types going slack.
import { createBackend as gpujs } from '@tessera/backend-gpujs';
import { createBackend as ort, toOnnx } from '@tessera/backend-ort';
import { createBackend as reference } from '@tessera/backend-reference';
import { createBackend as tfjs } from '@tessera/backend-tfjs';
import { train } from '@tessera/backend-tfjs/train';
import { runBench } from '@tessera/bench';
import { main } from '@tessera/cli';
import { casesByOp, exitCode, renderTerminal, runConformance } from '@tessera/conformance';
import { CharTokenizer, generate, perplexity } from '@tessera/lm';
import {
  type Backend,
  defineSpec,
  float32,
  initWeights,
  int32,
  parseSpec,
  randomInputs,
  readSafetensors,
  type Tensor,
  transformerLM,
} from '@tessera/spec';
import { readSafetensorsFile, writeSafetensorsFile } from '@tessera/spec/node';

const spec = defineSpec({
  format: 'tessera.model/v1',
  inputs: { tokens: { dtype: 'int32', shape: ['batch', 'time'] } },
  outputs: { logits: 'head' },
  nodes: [
    { id: 'embed', op: 'embedding', numEmbeddings: 10, embeddingDim: 4 },
    { id: 'head', op: 'linear', inFeatures: 4, outFeatures: 10 },
  ],
} as const);

export async function typedSpecs(): Promise<Tensor[]> {
  const weights = initWeights(spec, 0);
  const tokens = int32([1, 2, 3], [1, 3]);
  const out: Tensor[] = [];
  for (const backend of [
    await reference(),
    await ort({ variant: 'node' }),
    await tfjs({ variant: 'cpu' }),
    await gpujs({ variant: 'cpu' }),
  ]) {
    const model = await backend.compile(spec, weights);
    // A Tensor, not `Tensor | undefined`: the spec names its outputs.
    const { logits } = await model.run({ tokens });
    out.push(logits);
    // @ts-expect-error a misspelt input
    await model.run({ token: tokens });
    // @ts-expect-error a misspelt output
    out.push((await model.run({ tokens })).logit);
    await model.dispose();
  }
  return out;
}

export async function untypedSpecs(): Promise<number> {
  // A JSON spec read at run time: named tensors in and out, as a Map or a plain object.
  const json = parseSpec('{"format":"tessera.model/v1"}');
  const backend: Backend = await ort({ variant: 'wasm' });
  const { tensors } = readSafetensors(new Uint8Array(0));
  const model = await backend.compile(json, tensors);
  const outputs = await model.run({ x: float32([1, 2], [1, 2]) });
  const first: Tensor | undefined = outputs.logits;
  writeSafetensorsFile('out.safetensors', outputs);
  const typed = await (await reference()).compile(
    json,
    readSafetensorsFile('w.safetensors').tensors,
  );
  await typed.run(readSafetensorsFile('in.safetensors').tensors);
  return first?.data.length ?? 0;
}

export async function everythingElse(): Promise<number> {
  const lm = transformerLM({ vocabSize: 16, maxLength: 16 });
  const weights = initWeights(lm, 0);
  const bytes: Uint8Array = toOnnx(lm, weights);
  const model = await (await reference()).compile(lm, weights);
  const tok = CharTokenizer.fromText('abc');
  const ids = await generate(model, tok.encode('a'), { maxTokens: 2, seed: 1, contextLength: 16 });
  const ppl: number = await perplexity(model, tok.encode('abc'), { contextLength: 16 });
  const inputs = randomInputs(lm, { batch: 2, time: 4 }, 1);
  const tokens = inputs.tokens;
  if (tokens === undefined) throw new Error('no tokens');
  const trained = await train(
    lm,
    weights,
    { inputs, targets: tokens },
    {
      loss: 'crossEntropy',
      epochs: 1,
      batchSize: 2,
    },
  );
  const report = await runConformance({
    cases: casesByOp.relu,
    backends: [{ label: 'ort:node', create: () => ort({ variant: 'node' }) }],
  });
  const bench = await runBench({ models: [], backends: [] });
  const status: number = await main(['validate', 'model.json']);
  return (
    bytes.length +
    ids.length +
    ppl +
    trained.weights.size +
    renderTerminal(report).length +
    exitCode(report) +
    bench.rows.length +
    status
  );
}
