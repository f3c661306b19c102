// The model format `tessera.model/v1` as a zod schema; types are inferred from it.
import { z } from 'zod';
import { identifier, MAX_DIM, reference } from './ops/common.js';
import { type NodeSpec, nodeSchema } from './ops/registry.js';

/** The format name and version every spec carries in `format`. */
export const FORMAT = 'tessera.model/v1';

/** The zod schema of one model input: its dtype and shape. */
export const inputSpecSchema = z
  .strictObject({
    dtype: z
      .enum(['float32', 'int32'])
      .describe(
        'the element type: float32 for features, int32 for token ids, lengths and positions',
      ),
    shape: z
      .array(z.union([z.number().int().min(1).max(MAX_DIM), identifier]))
      .max(8)
      .describe(
        'the dims, at most 8: a number is a fixed size, a name (`batch`, `time`) a size bound at run time, the same for every input that uses the name',
      ),
  })
  .describe('one model input: its dtype and shape');

/** The zod schema of a spec (`tessera.model/v1`); parseSpec adds the checks across nodes. */
export const modelSchema = z.strictObject({
  format: z.literal(FORMAT).describe('the spec format and its version: always "tessera.model/v1"'),
  name: z
    .string()
    .max(200)
    .default('model')
    .describe("the model's name, shown in the tools' messages and reports"),
  description: z.string().max(10_000).optional().describe('free text about the model, for people'),
  inputs: z
    .record(identifier, inputSpecSchema)
    .describe(
      "the model's inputs by name (the arguments of PyTorch's forward): nodes read them by that name",
    ),
  outputs: z
    .record(identifier, reference)
    .describe(
      "what a run returns, at least one, by name: each a node id, or `id:port` for a node's extra output (an LSTM's `h_n`)",
    ),
  nodes: z
    .array(nodeSchema)
    .min(1)
    .max(10_000)
    .describe(
      "the layers and operations, each a node with an `op`; a node without `input` reads the previous node's output",
    ),
});

/** A spec as a person writes it: `input` optional, defaults not filled. */
export type ModelSpecInput = z.input<typeof modelSchema>;
/** One model input after parsing: its dtype and shape. */
export type InputSpec = z.output<typeof inputSpecSchema>;
/** A spec after parseSpec: defaults filled, every `input` explicit, nodes in topological order. */
export type ModelSpec = Omit<z.output<typeof modelSchema>, 'nodes'> & { nodes: NodeSpec[] };
