import { opNames } from '@tessera/spec';
import { expect, test } from 'vitest';
import { editorSchema, hoverTexts, schemaOps } from './editor-schema';

test("the editor schema lists every op for completion and keeps each op's attributes", () => {
  const schema = editorSchema();
  expect(schemaOps(schema).sort()).toEqual([...opNames].sort());
  const items = (schema.properties as Record<string, Record<string, unknown>>).nodes.items as {
    oneOf: unknown[];
  };
  expect(items.oneOf).toHaveLength(opNames.length);
});

test('hover text: description, type and the bounds that matter', () => {
  expect(hoverTexts({ type: 'integer', minimum: 1, maximum: 2147483647 })).toEqual({
    message: '',
    typeInfo: 'integer, ≥ 1',
  });
  expect(hoverTexts({ type: 'boolean', default: true, description: 'adds a bias' })).toEqual({
    message: 'adds a bias',
    typeInfo: 'boolean, default true',
  });
  expect(hoverTexts({ type: 'string', enum: ['relu', 'gelu'] }).typeInfo).toBe(
    'one of "relu" | "gelu"',
  );
  expect(
    hoverTexts({ anyOf: [{ type: 'integer' }, { type: 'array', items: { type: 'integer' } }] })
      .typeInfo,
  ).toBe('integer, or array, of integer');
});
