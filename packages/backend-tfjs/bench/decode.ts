// Incremental decoding against recomputation on tfjs: a small llamaLM fed a prompt, then N tokens
// one at a time, through the decoder (one prefill, then single-token steps on the kept caches) and
// through run on the whole sequence so far (what generation does without a decoder), per variant:
//   npx tsx bench/decode.ts [--variants cpu,wasm --prompt 16 --tokens 48 --hidden 64 --layers 2]
// Prints ms per new token for both (timed alternately, token by token) and the largest difference
// between the two's logits.
import { initWeights, llamaLM, type Tensor } from '@tessera/spec';
import { createBackend, type TfVariant } from '../src/index.js';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2)
  args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1]);
const num = (name: string, fallback: number) => Number(args.get(name) ?? fallback);
const variants = (args.get('variants') ?? 'cpu,wasm').split(',') as TfVariant[];
const prompt = num('prompt', 16);
const tokens = num('tokens', 48);
const hidden = num('hidden', 64);
const layers = num('layers', 2);

const spec = llamaLM({
  vocabSize: 256,
  hiddenSize: hidden,
  numLayers: layers,
  numHeads: 4,
  numKeyValueHeads: 2,
  intermediateSize: 2 * hidden,
});
const weights = initWeights(spec, 1);
const ids = Int32Array.from({ length: prompt + tokens }, (_, i) => (i * 37 + 11) % 256);
const feed = (from: number, to: number): Tensor => ({
  dtype: 'int32',
  shape: [1, to - from],
  data: ids.slice(from, to),
});
/** The logits of the last position of [1, T, V]. */
const last = (t: Tensor) => t.data.subarray(t.data.length - 256);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

for (const variant of variants) {
  const model = await (await createBackend({ variant })).compile(spec, weights);
  await model.run({ input_ids: feed(0, prompt) }); // warm-up: kernels, wasm pages
  const decoder = await model.decoder({ maxLength: prompt + tokens });
  let t0 = performance.now();
  let stepped = last((await decoder.step({ input_ids: feed(0, prompt) })).logits);
  const prefillMs = performance.now() - t0;
  // Token t's logits both ways, timed side by side so that load from other processes hits both.
  const stepMs: number[] = [];
  const runMs: number[] = [];
  let worst = 0;
  for (let t = prompt; t < prompt + tokens; t++) {
    t0 = performance.now();
    const full = last((await model.run({ input_ids: feed(0, t) })).logits);
    runMs.push(performance.now() - t0);
    for (let j = 0; j < 256; j++) worst = Math.max(worst, Math.abs(full[j] - stepped[j]));
    if (t === prompt + tokens - 1) break;
    t0 = performance.now();
    stepped = last((await decoder.step({ input_ids: feed(t, t + 1) })).logits);
    stepMs.push(performance.now() - t0);
  }
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  console.log(
    `tfjs:${variant} llamaLM hidden ${hidden} × ${layers} layers, prompt ${prompt} + ${tokens} tokens: ` +
      `decoder ${median(stepMs).toFixed(2)} ms/token (median; prefill ${prefillMs.toFixed(1)} ms), ` +
      `run on the sequence so far ${median(runMs).toFixed(2)} ms/token (median); all ${tokens} tokens ` +
      `${(prefillMs + sum(stepMs)).toFixed(0)} ms against ${sum(runMs).toFixed(0)} ms; max |Δ logit| ${worst.toExponential(1)}`,
  );
  await decoder.dispose();
  await model.dispose();
}
