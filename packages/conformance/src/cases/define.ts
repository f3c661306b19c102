// A compact way to write a case: inputs, nodes and outputs as a person writes a spec. Seeds are
// derived from the id, so every case draws its own weights and inputs and keeps them when others change.
import { hashString, type InputSpec, type NodeInput } from '@tessera/spec';
import { type ConformanceCase, model } from '../case.js';
import type { ToleranceOverride } from '../tolerance.js';

export interface CaseDefinition {
  description?: string;
  inputs: Record<string, { dtype?: InputSpec['dtype']; shape: (number | string)[] }>;
  nodes: NodeInput[];
  /** Output name → reference; `{ y: <last node> }` when left out. */
  outputs?: Record<string, string>;
  bindings?: Record<string, number>;
  inputScale?: number;
  tolerance?: ToleranceOverride;
}

export function defineCase(id: string, d: CaseDefinition): ConformanceCase {
  const seed = hashString(id) % 1_000_000;
  return {
    id,
    ...(d.description !== undefined ? { description: d.description } : {}),
    spec: () =>
      model({
        name: id.replace(/[^A-Za-z0-9_-]/g, '_'),
        inputs: Object.fromEntries(
          Object.entries(d.inputs).map(([k, v]) => [
            k,
            { dtype: v.dtype ?? 'float32', shape: v.shape },
          ]),
        ),
        outputs: d.outputs ?? { y: d.nodes[d.nodes.length - 1].id },
        nodes: d.nodes,
      }),
    bindings: d.bindings ?? {},
    weightSeed: seed,
    inputSeed: seed + 1,
    ...(d.inputScale !== undefined ? { inputScale: d.inputScale } : {}),
    ...(d.tolerance !== undefined ? { tolerance: d.tolerance } : {}),
  };
}

/** A case of one node reading one float input. */
export function unaryCase(
  id: string,
  shape: (number | string)[],
  node: NodeInput,
  rest: Omit<CaseDefinition, 'inputs' | 'nodes'> = {},
): ConformanceCase {
  return defineCase(id, { ...rest, inputs: { x: { shape } }, nodes: [node] });
}

/** [batch, time, features] with batch 2, time 5 unless given. */
export const seq = (features: number) => ['batch', 'time', features];
export const seqBindings = (time = 5, batch = 2) => ({ batch, time });
