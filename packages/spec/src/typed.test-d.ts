// Type-level proof (checked by `tsc --noEmit -p packages/spec`, never run, never shipped) that a
// typed spec types the model a backend compiles from it: exactly its inputs, each of its dtype,
// and a record keyed by its outputs. Each `@ts-expect-error` must meet an error, or tsc fails on
// the unused directive.
import { expectTypeOf } from 'vitest';
import type { Backend, CompiledModel, TypedBackend } from './backend.js';
import type { ModelSpec } from './schema.js';
import { float32, int32, type Tensor } from './tensor.js';
import { defineSpec, type ModelInputs, type ModelOutputs } from './typed.js';

declare const backend: TypedBackend;
declare const weights: Map<string, Tensor>;

const spec = defineSpec({
  format: 'tessera.model/v1',
  inputs: {
    tokens: { dtype: 'int32', shape: ['batch', 'time'] },
    scale: { dtype: 'float32', shape: ['batch', 'time', 8] },
  },
  outputs: { logits: 'head', features: 'mix' },
  nodes: [
    { id: 'embed', op: 'embedding', input: 'tokens', numEmbeddings: 16, embeddingDim: 8 },
    { id: 'mix', op: 'mul', input: ['embed', 'scale'] },
    { id: 'head', op: 'linear', inFeatures: 8, outFeatures: 16 },
  ],
} as const);

// The spec is a ModelSpec at run time and in its type.
expectTypeOf(spec).toExtend<ModelSpec>();
expectTypeOf<ModelOutputs<typeof spec>>().toEqualTypeOf<{ logits: Tensor; features: Tensor }>();

const model = await backend.compile(spec, weights);
const tokens = int32([1, 2, 3], [1, 3]);
const scale = float32(new Float32Array(24), [1, 3, 8]);
const out = await model.run({ tokens, scale });
// The outputs are keyed by the spec's outputs: no `| undefined` under noUncheckedIndexedAccess.
expectTypeOf(out.logits).toEqualTypeOf<Tensor>();
expectTypeOf(out).toEqualTypeOf<{ logits: Tensor; features: Tensor }>();
// A Map of inputs is accepted too (its names are checked when it runs).
await model.run(new Map([['tokens', tokens]]));

// @ts-expect-error a misspelt input name
await model.run({ tokenz: tokens, scale });
// @ts-expect-error a missing input
await model.run({ tokens });
// @ts-expect-error an input of the wrong dtype (float32 where the spec says int32)
await model.run({ tokens: scale, scale });
// @ts-expect-error a misspelt output name
const { logit } = await model.run({ tokens, scale });
void logit;

// The same backend keeps untyped specs working: named tensors in and out, as a Map or an object.
declare const parsed: ModelSpec;
const untyped = await backend.compile(parsed, Object.fromEntries(weights));
expectTypeOf(untyped.run).parameter(0).toEqualTypeOf<ModelInputs<ModelSpec>>();
expectTypeOf(await untyped.run({ anything: tokens })).toEqualTypeOf<Record<string, Tensor>>();
await untyped.run(weights);

// A typed model still goes where a CompiledModel is expected (lm's generate, conformance), and a
// typed backend where a Backend is (front-ends hold Backends).
const asUntyped: CompiledModel = model;
const asBackend: Backend = backend;
void asUntyped;
void asBackend;
// A Backend written by hand (a test's fake) returns an untyped model and is still a Backend.
({
  name: 'fake',
  variant: 'only',
  supports: () => true,
  compile: async (_spec: ModelSpec) => ({
    run: async (inputs: Record<string, Tensor>) => inputs,
    dispose: async () => {},
  }),
}) satisfies Backend;

// A spec whose literal is wrong is refused as it is written.
defineSpec({
  format: 'tessera.model/v1',
  // @ts-expect-error a dtype Tessera does not have
  inputs: { x: { dtype: 'float64', shape: [2] } },
  outputs: { y: 'x' },
  nodes: [{ id: 'r', op: 'relu' }],
});

// Without `as const` too: defineSpec's type parameter is `const`.
const plain = defineSpec({
  format: 'tessera.model/v1',
  inputs: { x: { dtype: 'float32', shape: ['batch', 2] } },
  outputs: { y: 'r' },
  nodes: [{ id: 'r', op: 'relu' }],
});
expectTypeOf<ModelOutputs<typeof plain>>().toEqualTypeOf<{ y: Tensor }>();
expectTypeOf<ModelInputs<typeof plain>>().toEqualTypeOf<
  { x: Tensor<'float32'> } | Map<string, Tensor>
>();
