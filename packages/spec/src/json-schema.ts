// The JSON Schema of the format, generated from the zod schema (zod's own output), so that
// editors can validate and complete specs. The build writes it to schema/tessera.model.v1.json.
import { z } from 'zod';
import { modelSchema } from './schema.js';

/**
 * The JSON Schema (draft 2020-12) of `tessera.model/v1`, for editors to validate and complete
 * specs.
 */
export function specJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(modelSchema, { io: 'input', target: 'draft-2020-12' }) as Record<
    string,
    unknown
  >;
  return {
    ...schema,
    $id: 'https://tessera.dev/schema/tessera.model.v1.json',
    title: 'Tessera model spec (tessera.model/v1)',
  };
}
