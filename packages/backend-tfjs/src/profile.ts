// bench --profile on tfjs: the time of every tfjs kernel of a forward pass, from `tf.profile`.
import * as tf from '@tensorflow/tfjs';
import type { OpCall, Profiler } from '@tessera/spec';

/** Every tfjs kernel call of `runs` calls of `fn`, after one untimed call. */
export async function profileKernels(fn: () => Promise<unknown>, runs: number): Promise<OpCall[]> {
  await fn(); // warm-up: kernels compile and caches fill outside the profile
  const calls: OpCall[] = [];
  for (let r = 0; r < runs; r++) {
    const info = await tf.profile(async () => {
      await fn();
      return [];
    });
    for (const k of info.kernels) {
      // `<op>__op` entries are scopes of ops with a custom gradient (fused.matMul, ...): their time
      // is the kernels inside them, which are listed on their own.
      if (k.name.endsWith('__op')) continue;
      calls.push({ op: k.name, ms: typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0 });
    }
  }
  return calls;
}

export const profiler: Profiler = {
  unit: 'tfjs kernel',
  async profile({ backend, spec, weights, inputs, runs }) {
    const compiled = await backend.compile(spec, weights);
    try {
      return { calls: await profileKernels(() => compiled.run(inputs), runs) };
    } finally {
      await compiled.dispose();
    }
  },
};
