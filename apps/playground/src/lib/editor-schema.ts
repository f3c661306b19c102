// The JSON Schema the editor completes and explains from: the spec's own export (zod's), with
// one addition for the editor's schema library. A node is a `oneOf` over the ops, told apart by
// `op`'s const; json-schema-library picks the member that validates, and a half-typed node
// (`"op": ""`) validates against none, so completion offered one op. Listing every op as an enum
// on the node itself gives that library the choices while the oneOf still gives each op's
// attributes once `op` is set.
import { specJsonSchema } from '@tessera/spec';

type Schema = Record<string, unknown>;

export function editorSchema(): Schema {
  const schema = specJsonSchema() as Schema & { properties: Record<string, Schema> };
  const nodes = schema.properties.nodes as Schema & { items: { oneOf?: Schema[] } };
  const members = nodes.items.oneOf;
  if (members === undefined) return schema;
  const ops = members.map((m) => (m.properties as Record<string, Schema>).op.const as string);
  return {
    ...schema,
    properties: {
      ...schema.properties,
      nodes: {
        ...nodes,
        items: {
          type: 'object',
          properties: {
            op: { type: 'string', enum: ops, description: 'the operation this node computes' },
          },
          oneOf: members,
        },
      },
    },
  };
}

/** The ops the schema lists, for tests and the hover over `op`. */
export function schemaOps(schema: Schema = editorSchema()): string[] {
  const items = (schema.properties as Record<string, Schema>).nodes.items as Schema;
  return ((items.properties as Record<string, Schema>).op.enum as string[]) ?? [];
}

/** The largest int32: zod's bound on every integer, not worth a line in a tooltip. */
const INT32_MAX = 2147483647;

/**
 * A tooltip's two lines for the schema of what is under the pointer: its description (the
 * spec's zod `.describe()`), and its type with the constraints that matter when typing it.
 */
export function hoverTexts(s: Schema): { message: string; typeInfo: string } {
  const parts: string[] = [];
  if (s.const !== undefined) parts.push(JSON.stringify(s.const));
  else if (Array.isArray(s.enum))
    parts.push(`one of ${s.enum.map((v) => JSON.stringify(v)).join(' | ')}`);
  else if (typeof s.type === 'string') parts.push(s.type);
  else if (Array.isArray(s.anyOf) || Array.isArray(s.oneOf)) {
    const forms = ((s.anyOf ?? s.oneOf) as Schema[]).map((f) => hoverTexts(f).typeInfo);
    parts.push([...new Set(forms)].join(', or '));
  }
  if (typeof s.minimum === 'number') parts.push(`≥ ${s.minimum}`);
  if (typeof s.exclusiveMinimum === 'number') parts.push(`> ${s.exclusiveMinimum}`);
  if (typeof s.maximum === 'number' && s.maximum !== INT32_MAX) parts.push(`≤ ${s.maximum}`);
  if (typeof s.minItems === 'number' && s.type === 'array')
    parts.push(
      s.maxItems === s.minItems ? `${s.minItems} items` : `at least ${s.minItems} item(s)`,
    );
  if (s.type === 'array' && typeof s.items === 'object' && s.items !== null)
    parts.push(`of ${hoverTexts(s.items as Schema).typeInfo}`);
  if (s.default !== undefined) parts.push(`default ${JSON.stringify(s.default)}`);
  return {
    message: typeof s.description === 'string' ? s.description : '',
    typeInfo: parts.join(', '),
  };
}
