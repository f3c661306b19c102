// Bench: the decoder on the node variants: kernels compiled and ms per token over 100 steps after
// an 8-token prompt, twice (reset between), in CPU time per token over steps 11 on. Run: tsx bench/decode.ts [--steps N] [--only cpu].
import { initWeights, llamaLM, type ModelSpec, type Tensor, transformerLM } from '@tessera/spec';
import { createBackend, type Variant } from '../src/index.js';

const args = process.argv.slice(2);
const steps = Number(args[args.indexOf('--steps') + 1]) || 100;
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : '';

const models: { label: string; spec: ModelSpec; input: string }[] = [
  {
    label: 'llamaLM h64 L2 GQA 4/2',
    spec: llamaLM({
      vocabSize: 64,
      hiddenSize: 64,
      numLayers: 2,
      numHeads: 4,
      numKeyValueHeads: 2,
      intermediateSize: 128,
    }),
    input: 'input_ids',
  },
  {
    label: 'transformerLM d128 L4',
    spec: transformerLM({
      vocabSize: 64,
      dModel: 128,
      nhead: 4,
      numLayers: 4,
      dimFeedforward: 256,
      maxLength: 256,
    }),
    input: 'tokens',
  },
];

const ids = (n: number, seed: number): Tensor => ({
  dtype: 'int32',
  shape: [1, n],
  data: Int32Array.from({ length: n }, (_, i) => (i * 7 + seed) % 64),
});

const variants: Variant[] = ['cpu', 'webasm'];
console.log(
  `| variant | model | prefill ms | kernels built in steps 1-${steps / 2} | in steps ${steps / 2 + 1}-${steps} | CPU ms/token, steps 11+ | same after reset |`,
);
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const variant of variants) {
  if (only !== '' && variant !== only) continue;
  for (const { label, spec, input } of models) {
    let built = 0;
    const model = await (await createBackend({ variant })).compile(spec, initWeights(spec, 1), {
      onKernelSource: () => built++,
    });
    const decoder = await model.decoder!({ maxLength: steps + 16 });
    const perToken: number[] = [];
    const builds: number[] = [];
    let prefill = 0;
    for (let round = 0; round < 2; round++) {
      const t0 = performance.now();
      await decoder.step({ [input]: ids(8, round) });
      if (round === 0) prefill = performance.now() - t0;
      const b0 = built;
      // CPU time of this process, not wall-clock: other work on the machine stretches the latter.
      let cpu = process.cpuUsage();
      for (let i = 0; i < steps; i++) {
        if (i === 10) cpu = process.cpuUsage();
        await decoder.step({ [input]: ids(1, i) });
        if (round === 0 && i === steps / 2 - 1) builds.push(built - b0);
      }
      if (round === 0) builds.push(built - b0 - builds[0]);
      const used = process.cpuUsage(cpu);
      perToken.push((used.user + used.system) / 1000 / (steps - 10));
      decoder.reset();
    }
    console.log(
      `| ${variant} | ${label} | ${prefill.toFixed(0)} | ${builds[0]} | ${builds[1]} | ${perToken[0].toFixed(2)} | ${perToken[1].toFixed(2)} |`,
    );
    await decoder.dispose();
    await model.dispose();
  }
}
