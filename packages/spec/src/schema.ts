// The model format `tessera.model/v1` as a zod schema; types are inferred from it.
import { z } from 'zod';
import { identifier, MAX_DIM, reference } from './ops/common.js';
import { type NodeSpec, nodeSchema } from './ops/registry.js';

export const FORMAT = 'tessera.model/v1';

export const inputSpecSchema = z.strictObject({
  dtype: z.enum(['float32', 'int32']),
  shape: z.array(z.union([z.number().int().min(1).max(MAX_DIM), identifier])).max(8),
});

export const modelSchema = z.strictObject({
  format: z.literal(FORMAT),
  name: z.string().max(200).default('model'),
  description: z.string().max(10_000).optional(),
  inputs: z.record(identifier, inputSpecSchema),
  outputs: z.record(identifier, reference),
  nodes: z.array(nodeSchema).min(1).max(10_000),
});

/** A spec as a person writes it: `input` optional, defaults not filled. */
export type ModelSpecInput = z.input<typeof modelSchema>;
export type InputSpec = z.output<typeof inputSpecSchema>;
/** A spec after parseSpec: defaults filled, every `input` explicit, nodes in topological order. */
export type ModelSpec = Omit<z.output<typeof modelSchema>, 'nodes'> & { nodes: NodeSpec[] };
