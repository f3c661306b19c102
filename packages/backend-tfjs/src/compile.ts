// Compiling a spec for one tfjs variant: the spec is lowered once (composites the kernel table
// says 'decompose' for become their decompositions), weights are checked, uploaded and prepared
// once (kept tensors owned by the model until dispose()); each run checks its inputs, activates
// the model's variant (another model may have switched tfjs's global backend), runs the lowered
// graph inside tf.tidy and reads the outputs back as float32 Tensors.
import * as tf from '@tensorflow/tfjs';
import {
  type CompiledModel,
  type CompileOptions,
  checkInputs,
  checkWeights,
  type Limits,
  type ModelSpec,
  type Tensor,
  type Weights,
} from '@tessera/spec';
import { prepareGraph, runGraph } from './forward.js';
import { lower } from './interpret.js';
import { ensureTfBackend, type TfVariant, type VariantOptions } from './variants.js';

export interface TfjsModel extends CompiledModel {
  readonly variant: TfVariant;
  /** Number of tensors the model holds (its prepared weights). */
  readonly numTensors: number;
}

/** Runs `f` synchronously right after `variant` became the active tfjs backend. */
export async function withBackend<T>(
  variant: TfVariant,
  options: VariantOptions,
  f: () => T,
): Promise<T> {
  while (tf.getBackend() !== variant) await ensureTfBackend(variant, options);
  return f();
}

export async function compileTfjs(
  spec: ModelSpec,
  weights: Weights,
  variant: TfVariant,
  options: CompileOptions & VariantOptions = {},
): Promise<TfjsModel> {
  checkWeights(spec, weights);
  const graph = lower(spec);
  const limits = options.limits as Partial<Limits> | undefined;
  const prepared = await withBackend(variant, options, () => {
    const names: string[] = [];
    const tensors = tf.tidy(() => {
      // Uploaded inside the tidy: raw tensors that prepare converts are freed with it. Copies,
      // because the cpu backend would otherwise keep the caller's arrays as its storage.
      const raw = new Map<string, tf.Tensor>();
      for (const [name, t] of weights) raw.set(name, tf.tensor(t.data.slice(), t.shape, 'float32'));
      const p = prepareGraph(graph, raw);
      names.push(...p.keys());
      return [...p.values()];
    });
    return new Map(names.map((name, i) => [name, tensors[i]]));
  });
  let disposed = false;

  return {
    variant,
    numTensors: new Set(prepared.values()).size,
    async run(inputs: Record<string, Tensor>): Promise<Record<string, Tensor>> {
      if (disposed) throw new Error(`this tfjs model (${spec.name}) was disposed`);
      const { shapes } = checkInputs(spec, inputs, { limits });
      const outputs = await withBackend(variant, options, () =>
        tf.tidy(() => {
          const feeds: Record<string, tf.Tensor> = {};
          for (const [name, want] of Object.entries(spec.inputs)) {
            const t = inputs[name];
            feeds[name] = tf.tensor(t.data, t.shape, want.dtype);
          }
          return runGraph(graph, prepared, feeds);
        }),
      );
      try {
        const result: Record<string, Tensor> = {};
        for (const [name, ref] of Object.entries(spec.outputs)) {
          const t = outputs[name];
          const want = shapes.get(ref)!.shape;
          if (t.shape.length !== want.length || t.shape.some((d, i) => d !== want[i])) {
            throw new Error(
              `tfjs produced output ${JSON.stringify(name)} with shape [${t.shape.join(', ')}], the spec says [${want.join(', ')}] (a backend bug)`,
            );
          }
          // A copy: the cpu backend may hand back its own storage (or an input's array).
          const data = new Float32Array(await t.data());
          Object.defineProperty(result, name, {
            value: { dtype: 'float32', shape: [...t.shape], data },
            enumerable: true,
            writable: true,
            configurable: true,
          });
        }
        return result;
      } finally {
        for (const t of Object.values(outputs)) t.dispose();
      }
    },
    async dispose(): Promise<void> {
      if (disposed) return;
      disposed = true;
      for (const t of new Set(prepared.values())) t.dispose();
      prepared.clear();
    },
  };
}
