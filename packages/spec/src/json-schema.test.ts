import { describe, expect, it } from 'vitest';
import { specJsonSchema } from './json-schema.js';
import { opNames, opRegistry } from './ops/registry.js';

type Schema = Record<string, unknown>;

/**
 * Every property of every object in the schema, as `[path, schema]`: top-level fields by name
 * (`inputs.*.dtype`), a node's attributes by op (`linear.inFeatures`, `attention.rope.theta`).
 */
function properties(s: unknown, path: string, out: [string, Schema][] = []): [string, Schema][] {
  if (typeof s !== 'object' || s === null) return out;
  if (Array.isArray(s)) {
    for (const member of s) properties(member, path, out);
    return out;
  }
  const schema = s as Schema;
  for (const [name, p] of Object.entries((schema.properties ?? {}) as Record<string, Schema>)) {
    const at = path === '' ? name : `${path}.${name}`;
    out.push([at, p]);
    properties(p, at, out);
  }
  for (const key of ['items', 'additionalProperties', 'anyOf', 'allOf'] as const)
    properties(schema[key], key === 'additionalProperties' ? `${path}.*` : path, out);
  // The node union: each member is one op, named by its `op` const.
  for (const member of (schema.oneOf ?? []) as Schema[]) {
    const op = (member.properties as Record<string, Schema> | undefined)?.op?.const;
    properties(member, typeof op === 'string' ? op : path, out);
  }
  return out;
}

describe('specJsonSchema', () => {
  const schema = specJsonSchema();
  const all = properties(schema, '');

  it('walks every op, each attribute, and the top-level fields', () => {
    // A walk that stopped early would pass the description check below trivially.
    const paths = new Set(all.map(([p]) => p));
    const expected = [
      ...['format', 'name', 'description', 'inputs', 'inputs.*.dtype', 'inputs.*.shape'],
      ...['outputs', 'nodes', 'attention.rope.theta'],
      ...opNames.flatMap((op) => Object.keys(opRegistry[op].schema.shape).map((a) => `${op}.${a}`)),
    ];
    expect(expected.filter((p) => !paths.has(p))).toEqual([]);
  });

  it('describes every property (what the editor shows on hover)', () => {
    const missing = all.filter(
      ([, p]) => typeof p.description !== 'string' || p.description === '',
    );
    expect(missing.map(([p]) => p)).toEqual([]);
  });
});
