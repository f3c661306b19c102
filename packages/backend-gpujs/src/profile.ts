// bench --profile on gpu.js: the time of every kernel call of a forward pass, from the backend's
// `onKernelRun` hook, named by the spec op it computes (part of).
import { lowerSpec, type ModelSpec, type OpCall, type Profiler } from '@tessera/spec';
import { kernels } from './kernels/index.js';

/** The spec the plan runs: lowered as compile.ts lowers it (every 'decompose' entry expanded). */
function ranGraph(spec: ModelSpec): ModelSpec {
  const lowered = lowerSpec(spec, kernels);
  // The sub-nodes stand as nodes of their own, so that FLOPs are counted per node that ran.
  return { ...lowered, nodes: lowered.nodes.map(({ origin: _, ...node }) => node) };
}

export const profiler: Profiler = {
  unit: 'spec op',
  async profile({ backend, spec, weights, inputs, runs }) {
    const calls: OpCall[] = [];
    let timing = false;
    const compiled = await backend.compile(spec, weights, {
      onKernelRun: (k: { op: string; ms: number }) => {
        if (timing) calls.push({ op: k.op, ms: k.ms });
      },
    });
    try {
      await compiled.run(inputs); // warm-up: gpu.js builds its kernels on the first call
      timing = true;
      for (let r = 0; r < runs; r++) await compiled.run(inputs);
    } finally {
      await compiled.dispose();
    }
    return { calls, graph: ranGraph(spec) };
  },
};
