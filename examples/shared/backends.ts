// Every backend variant that runs in Node.js, from the backends' manifests, opened one at a time:
// an example evaluates its final model on each and reports the ones that cannot start or compile
// with their reason.
import * as gpujs from '@tessera/backend-gpujs';
import * as ort from '@tessera/backend-ort';
import * as reference from '@tessera/backend-reference';
import * as tfjs from '@tessera/backend-tfjs';
import {
  type Backend,
  type CompiledModel,
  type ModelSpec,
  startVariant,
  variantsIn,
  type Weights,
} from '@tessera/spec';

/** The reference first: the others are read beside it. */
export const nodeVariants: { label: string; open: () => Promise<Backend> }[] = variantsIn(
  [reference, tfjs, ort, gpujs].map((mod) => ({ manifest: mod.manifest, load: async () => mod })),
  'node',
).map((entry) => ({ label: entry.label, open: () => startVariant(entry) }));

export interface VariantResult<T> {
  label: string;
  value?: T;
  error?: string;
  seconds: number;
}

/**
 * Compiles the model on each variant in turn and calls `evaluate`; an error (cannot start,
 * unsupported op, failed run) is recorded with its message instead of stopping the others.
 */
export async function onEveryVariant<T>(
  spec: ModelSpec,
  weights: Weights,
  evaluate: (model: CompiledModel, label: string) => Promise<T>,
  only?: string[],
): Promise<VariantResult<T>[]> {
  const out: VariantResult<T>[] = [];
  for (const v of nodeVariants) {
    if (only !== undefined && !only.includes(v.label)) continue;
    const start = performance.now();
    let model: CompiledModel | undefined;
    try {
      const backend = await v.open();
      model = await backend.compile(spec, weights);
      const value = await evaluate(model, v.label);
      out.push({ label: v.label, value, seconds: (performance.now() - start) / 1000 });
    } catch (e) {
      out.push({
        label: v.label,
        error: (e as Error).message.split('\n')[0],
        seconds: (performance.now() - start) / 1000,
      });
    } finally {
      await model?.dispose().catch(() => {});
    }
    const last = out[out.length - 1];
    console.error(
      `  ${last.label}: ${last.error === undefined ? 'done' : `error: ${last.error}`} (${last.seconds.toFixed(1)} s)`,
    );
  }
  return out;
}

/** Whether every value agrees with the first to `digits` significant figures. */
export function agreeTo(values: number[], digits: number): boolean {
  const fmt = (x: number) => x.toPrecision(digits);
  return values.every((v) => fmt(v) === fmt(values[0]));
}
