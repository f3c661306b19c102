// Typed specs: a spec written in TypeScript whose type carries its inputs' names and dtypes and
// its outputs' names, so that `compile(spec, weights)` gives a model whose `run` takes exactly
// those inputs and returns a record keyed by those outputs (a misspelt name fails tsc).
import type { CompiledModel } from './backend.js';
import { type ParseOptions, parseSpec } from './graph.js';
import type { ModelSpec, ModelSpecInput } from './schema.js';
import { type DType, type Tensor, type TensorMap, tensorRecord } from './tensor.js';

/** What a typed spec's type records: each input's dtype by name, and the output names. */
export interface SpecTypes<I extends Record<string, DType>, O extends string> {
  inputs: I;
  outputs: O;
}

// A key no value has: the types ride on ModelSpec as an optional property that is never set, so a
// TypedSpec is a ModelSpec at run time, and a plain ModelSpec is a TypedSpec of unknown names.
declare const specTypes: unique symbol;

/** A parsed spec whose type names its inputs (with their dtypes) and its outputs; see defineSpec. */
export type TypedSpec<
  I extends Record<string, DType> = Record<string, DType>,
  O extends string = string,
> = ModelSpec & { readonly [specTypes]?: SpecTypes<I, O> };

type TypesOf<S> = S extends { readonly [specTypes]?: infer T } ? T : undefined;

/**
 * The inputs a model of spec `S` runs on. For a typed spec: an object with exactly its inputs,
 * each a tensor of the input's dtype (or a Map, whose names are checked when it runs); for any
 * other spec, a Map or an object of tensors.
 */
export type ModelInputs<S> =
  TypesOf<S> extends SpecTypes<infer I, string>
    ? { [N in keyof I]: Tensor<I[N]> } | Map<string, Tensor>
    : TensorMap;

/** The outputs of a model of spec `S`: a record keyed by a typed spec's outputs. */
export type ModelOutputs<S> =
  TypesOf<S> extends SpecTypes<Record<string, DType>, infer O>
    ? { [N in O]: Tensor }
    : Record<string, Tensor>;

/**
 * What a backend's compile gives for spec `S`: the backend's own model `M` (its extra members
 * kept) whose `run` is typed by the spec.
 */
export type ModelOf<S, M extends CompiledModel = CompiledModel> = Omit<M, 'run'> & TypedRun<S>;

// For a typed spec, `run` is two overloads, the typed object first: so that a typed model still
// is a CompiledModel (whose run takes an object of tensors), which one signature taking
// `object | Map` would not be.
type TypedRun<S> =
  TypesOf<S> extends SpecTypes<infer I, infer O>
    ? CompiledModel<{ [N in keyof I]: Tensor<I[N]> }, { [N in O]: Tensor }> & {
        run(inputs: Map<string, Tensor>): Promise<{ [N in O]: Tensor }>;
      }
    : CompiledModel<TensorMap>;

type DeepReadonly<T> = T extends (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/** A spec as written in TypeScript: ModelSpecInput, with readonly arrays (`as const` gives those). */
export type SpecLiteral = DeepReadonly<ModelSpecInput>;

type InputDTypes<S extends SpecLiteral> = {
  -readonly [N in keyof S['inputs']]: S['inputs'][N]['dtype'];
};
type OutputNames<S extends SpecLiteral> = keyof S['outputs'] & string;

/**
 * Parses a spec written in TypeScript (as parseSpec does: SpecError on a bad spec, defaults
 * filled) and keeps its input names and dtypes and its output names in its type. A backend's
 * compile of the result gives a model whose `run` requires exactly those inputs and returns a
 * record keyed by those outputs. (For a JSON spec read at run time, `tessera types spec.json -o
 * model.ts` writes such a constant.)
 *
 * @example
 * const spec = defineSpec({
 *   format: 'tessera.model/v1',
 *   inputs: { x: { dtype: 'float32', shape: ['batch', 4] } },
 *   outputs: { y: 'fc' },
 *   nodes: [{ id: 'fc', op: 'linear', inFeatures: 4, outFeatures: 2 }],
 * } as const);
 * const model = await backend.compile(spec, initWeights(spec, 0));
 * const { y } = await model.run({ x: float32([1, 2, 3, 4], [1, 4]) }); // y: Tensor
 * // model.run({ X: ... }) and `const { z } = await model.run(...)` are type errors.
 */
export function defineSpec<const S extends SpecLiteral>(
  spec: S,
  options?: ParseOptions,
): TypedSpec<InputDTypes<S>, OutputNames<S>> {
  return parseSpec(spec, options);
}

/**
 * A backend's compiled model as its compile returns it for spec `S`: `run` takes the inputs as a
 * Map or a plain object (readSafetensors' `tensors` feed it directly) and is typed by the spec.
 * Every backend's compile ends with it.
 *
 * The overload is the typed layer's one promise that tsc cannot check, and the backends keep it:
 * defineSpec parsed the spec, and every run checks its inputs against spec.inputs (InputError)
 * and returns exactly spec.outputs' keys.
 */
export function typedModel<S extends ModelSpec, M extends CompiledModel>(
  spec: S,
  model: M,
): ModelOf<S, M>;
export function typedModel(_spec: ModelSpec, model: CompiledModel): CompiledModel<TensorMap> {
  const run = model.run.bind(model);
  return Object.assign(model, { run: (inputs: TensorMap) => run(tensorRecord(inputs)) });
}
