// ms per generated token, greedy, on one ORT variant: the decoder (a prompt of `context` tokens
// prefilled, then one token per step) against re-running the whole sequence for every token, as
// generation did before the decoder. Both pick the same tokens (checked); only the steps after
// the prefill are timed, and each re-run is timed on the sequence it extends. Wall-clock and CPU
// time (user + system, every thread of the process: steadier on a loaded machine) per token.
//   npx tsx --conditions=@tessera/source scripts/decode-bench.ts [--variant node|wasm]
//       [--tokens 32] [--rounds 3] [--threads N] [--attention <path>] [--contexts 16,128,256,480]
import { parseArgs } from 'node:util';
import { initWeights, type Tensor, transformerLM } from '@tessera/spec';
import { type AttentionPath, createBackend } from '../src/index.js';

const { values: args } = parseArgs({
  options: {
    variant: { type: 'string', default: 'node' },
    tokens: { type: 'string', default: '32' },
    rounds: { type: 'string', default: '3' },
    threads: { type: 'string' },
    attention: { type: 'string' },
    contexts: { type: 'string', default: '16,128,256,480' },
  },
});
const vocab = 96;
const spec = transformerLM({
  vocabSize: vocab,
  dModel: 256,
  nhead: 4,
  numLayers: 4,
  maxLength: 512,
});
const tokens = Number(args.tokens);
const rounds = Number(args.rounds);
const contexts = args.contexts.split(',').map(Number);

const backend = await createBackend({
  variant: args.variant as 'node' | 'wasm',
  ...(args.threads === undefined ? {} : { intraOpNumThreads: Number(args.threads) }),
});
const weights = initWeights(spec, 7);
const attention = args.attention as AttentionPath | undefined;
const model = await backend.compile(spec, weights, { attention });

const ids = (values: number[]): Tensor => ({
  dtype: 'int32',
  shape: [1, values.length],
  data: Int32Array.from(values),
});
/** The most likely next token after the last position of logits [1, T, vocab]. */
function argmaxLast(logits: Tensor): number {
  const t = logits.shape[1];
  const row = logits.data.subarray((t - 1) * vocab, t * vocab);
  let best = 0;
  for (let j = 1; j < vocab; j++) if (row[j] > row[best]) best = j;
  return best;
}

interface Timed {
  ms: number;
  cpu: number;
  out: number[];
}

/** Wall-clock and CPU milliseconds of `f`. */
async function timed<T>(f: () => Promise<T>): Promise<{ value: T; ms: number; cpu: number }> {
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const value = await f();
  const ms = performance.now() - start;
  const cpu = process.cpuUsage(cpu0);
  return { value, ms, cpu: (cpu.user + cpu.system) / 1000 };
}

async function rerun(prompt: number[]): Promise<Timed> {
  const seq = [...prompt];
  let ms = 0;
  let cpu = 0;
  for (let i = 0; i < tokens; i++) {
    const t = await timed(() => model.run({ tokens: ids(seq) }));
    ms += t.ms;
    cpu += t.cpu;
    seq.push(argmaxLast(t.value.logits));
  }
  return { ms: ms / tokens, cpu: cpu / tokens, out: seq.slice(prompt.length) };
}

async function decode(prompt: number[]): Promise<Timed> {
  const decoder = await model.decoder!({ maxLength: prompt.length + tokens });
  const out = [argmaxLast((await decoder.step({ tokens: ids(prompt) })).logits)];
  const t = await timed(async () => {
    for (let i = 1; i < tokens; i++)
      out.push(argmaxLast((await decoder.step({ tokens: ids([out[i - 1]]) })).logits));
  });
  await decoder.dispose();
  return { ms: t.ms / (tokens - 1), cpu: t.cpu / (tokens - 1), out };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

console.log(
  `transformerLM d256 L4 h4 vocab ${vocab}, ort:${backend.variant}${args.attention ? ` ${args.attention}` : ''}, ${tokens} greedy tokens, median of ${rounds} rounds`,
);
console.log(
  '| context | re-run ms/token | decoder ms/token | speed-up | re-run CPU ms/token | decoder CPU ms/token | CPU speed-up | same tokens |',
);
console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
for (const context of contexts) {
  const prompt = Array.from({ length: context }, (_, i) => (i * 7 + 3) % vocab);
  const r: Timed[] = [];
  const d: Timed[] = [];
  let same = true;
  await decode(prompt); // warm-up: the first sessions' first runs
  for (let round = 0; round < rounds; round++) {
    // Alternated, so that the machine's load falls on both alike.
    const a = await rerun(prompt);
    const b = await decode(prompt);
    r.push(a);
    d.push(b);
    same &&= a.out.every((t, i) => t === b.out[i]);
  }
  const cells = (key: 'ms' | 'cpu') => {
    const [rm, dm] = [median(r.map((x) => x[key])), median(d.map((x) => x[key]))];
    return `${rm.toFixed(2)} | ${dm.toFixed(2)} | ${(rm / dm).toFixed(1)}×`;
  };
  console.log(`| ${context} | ${cells('ms')} | ${cells('cpu')} | ${same ? 'yes' : 'NO'} |`);
}
await model.dispose();
