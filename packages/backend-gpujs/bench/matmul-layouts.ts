// What bounds gpu.js's products: one [R, K] × [K, O] product (R = O = 1024, K = 256) written as
// gpu.js kernels in three layouts, in gpu.js's webasm and cpu modes, against tfjs-wasm's matMul
// (XNNPACK) in the same process. Run: pnpm tsx bench/matmul-layouts.ts
//   1-D   the layout every Tessera kernel uses: output [R·O], row and column from thread.x
//   2-D   output [O, R]: the row is thread.y, the same for the four lanes of a webasm SIMD quad
//   2-D Wᵀ the same with the weight stored [K, O], so the four lanes read neighbouring columns
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { GPU, type IKernelRunShortcut } from 'gpu.js';

const R = 1024;
const K = 256;
const O = 1024;
const flop = 2 * R * K * O;
const x = Float32Array.from({ length: R * K }, (_, i) => Math.sin(i));
const w = Float32Array.from({ length: O * K }, (_, i) => Math.cos(i)); // [O, K], PyTorch's layout
const wt = new Float32Array(K * O);
for (let o = 0; o < O; o++) for (let k = 0; k < K; k++) wt[k * O + o] = w[o * K + k];

const dot = `let s0 = 0; let s1 = 0; let s2 = 0; let s3 = 0;
for (let k = 0; k < ${K}; k += 4) {
s0 += a0[xb + k] * a1[wb + k];
s1 += a0[xb + k + 1] * a1[wb + k + 1];
s2 += a0[xb + k + 2] * a1[wb + k + 2];
s3 += a0[xb + k + 3] * a1[wb + k + 3];
}
return (s0 + s1) + (s2 + s3);`;
const layouts: { name: string; weight: Float32Array; output: number[]; body: string }[] = [
  {
    name: '1-D',
    weight: w,
    output: [R * O],
    body: `const i = this.thread.x;
const row = Math.floor(i / ${O});
const o = i - row * ${O};
const xb = row * ${K};
const wb = o * ${K};
${dot}`,
  },
  {
    name: '2-D',
    weight: w,
    output: [O, R],
    body: `const o = this.thread.x;
const xb = this.thread.y * ${K};
const wb = o * ${K};
${dot}`,
  },
  {
    name: '2-D Wᵀ',
    weight: wt,
    output: [O, R],
    body: `const o = this.thread.x;
const xb = this.thread.y * ${K};
let s = 0;
for (let k = 0; k < ${K}; k++) {
s += a0[xb + k] * a1[k * ${O} + o];
}
return s;`,
  },
];

function gflops(run: () => unknown, runs = 3): number {
  run();
  const t0 = performance.now();
  for (let r = 0; r < runs; r++) run();
  return flop / ((performance.now() - t0) / runs / 1000) / 1e9;
}

// In Node.js, tfjs-backend-wasm finds its .wasm files only when told where its dist folder is.
const wasmPackage = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json');
setWasmPaths(`${pathToFileURL(join(dirname(wasmPackage), 'dist')).href}/`);
if (!(await tf.setBackend('wasm'))) throw new Error('tfjs-backend-wasm did not start');
await tf.ready();
const tx = tf.tensor2d(x, [R, K]);
// [K, O] through tf.fused.matMul, as Tessera's tfjs backend and tf.layers' Dense run a linear
// layer: tfjs-wasm's _FusedMatMul is XNNPACK's fully-connected operator.
const tw = tf.tensor2d(wt, [K, O]);
const xnnpack = gflops(() => {
  const y = tf.fused.matMul({ a: tx, b: tw });
  y.dataSync();
  y.dispose();
});
console.log(`[${R}, ${K}] × [${K}, ${O}], GFLOP/s (3 runs after a warm-up)`);
console.log(`tfjs-wasm fused.matMul    ${xnnpack.toFixed(2)}`);
for (const mode of ['webasm', 'cpu'] as const) {
  const gpu = new GPU({ mode });
  for (const l of layouts) {
    const kernel = gpu.createKernel(new Function('a0', 'a1', l.body) as never, {
      output: l.output,
      precision: 'single',
      tactic: 'precision',
    }) as IKernelRunShortcut;
    const rate = gflops(() => kernel(x, l.weight));
    console.log(`gpu.js ${mode.padEnd(6)} ${l.name.padEnd(7)}       ${rate.toFixed(2)}`);
    kernel.destroy();
  }
  gpu.destroy();
}
