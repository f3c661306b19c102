// The page's own jobs (short ones: a forward pass, the comparison of every backend), each
// reporting to the store with the state version it started at. Judging is conformance's `judge`
// (the one tolerance check), not a copy of it.
import { createBackend as createReference, type ReferenceModel } from '@tessera/backend-reference';
import { defaultTolerance, type Expected, judge, unsupportedReason } from '@tessera/conformance';
import { checkInputs, type ModelSpec, type Weights } from '@tessera/spec';
import { type Availability, isAvailable } from './backends';
import { errorText, type Inputs } from './model';
import { timedRun } from './run';
import type { Action, CompareRow, HeatMap } from './store';

/** The most heads drawn: beyond this the page would be all heatmaps. */
export const MAX_HEATMAPS = 16;

/** Attention weights of every head (batch 0) from the float64 reference, with token labels. */
export async function attentionMaps(
  spec: ModelSpec,
  weights: Weights,
  inputs: Inputs,
): Promise<HeatMap[]> {
  const maps: HeatMap[] = [];
  const ref = (await (await createReference()).compile(spec, weights)) as ReferenceModel;
  try {
    ref.runFloat64(inputs.tensors, {
      observeAttention: (node, probs) => {
        const [, heads, tq, tk] = probs.shape;
        for (let h = 0; h < heads && maps.length < MAX_HEATMAPS; h++) {
          const rows: number[][] = [];
          for (let q = 0; q < tq; q++)
            rows.push(Array.from(probs.data.subarray((h * tq + q) * tk, (h * tq + q + 1) * tk)));
          const label = (i: number) => inputs.tokens[i] ?? String(i);
          maps.push({
            label: `${node} head ${h}`,
            probs: rows,
            tokens: Array.from({ length: Math.max(tq, tk) }, (_, i) => label(i)),
          });
        }
      },
    });
  } finally {
    await ref.dispose();
  }
  return maps;
}

export async function runForward(
  o: {
    availability: readonly Availability[];
    label: string;
    spec: ModelSpec;
    weights: Weights;
    inputs: Inputs;
    version: number;
  },
  dispatch: (a: Action) => void,
): Promise<void> {
  dispatch({ type: 'run-start', label: o.label });
  try {
    const a = o.availability.find((x) => x.label === o.label);
    if (a === undefined || !isAvailable(a))
      throw new Error(`${o.label} is not available in this browser`);
    const timed = await timedRun(a.backend, o.spec, o.weights, o.inputs.tensors);
    const heat = await attentionMaps(o.spec, o.weights, o.inputs);
    dispatch({ type: 'run-done', version: o.version, result: { label: o.label, timed, heat } });
  } catch (e) {
    dispatch({ type: 'run-failed', version: o.version, label: o.label, message: errorText(e) });
  }
}

/** Every variant on the same inputs, each judged against the float64 reference. */
export async function compareAll(
  o: {
    availability: readonly Availability[];
    spec: ModelSpec;
    weights: Weights;
    inputs: Inputs;
    version: number;
  },
  dispatch: (a: Action) => void,
): Promise<void> {
  dispatch({ type: 'compare-start' });
  const { version } = o;
  try {
    checkInputs(o.spec, o.inputs.tensors);
    const ref = (await (await createReference()).compile(o.spec, o.weights)) as ReferenceModel;
    const want = ref.runFloat64(o.inputs.tensors);
    await ref.dispose();
    const expected: Expected = {
      spec: o.spec,
      weights: o.weights,
      inputs: o.inputs.tensors,
      outputs: want,
    };
    for (const a of o.availability) {
      const row = (r: CompareRow) => dispatch({ type: 'compare-row', version, row: r });
      if (!isAvailable(a)) {
        row({ label: a.label, status: 'unavailable', detail: a.reason });
        continue;
      }
      const unsupported = unsupportedReason(a.backend, { spec: o.spec });
      if (unsupported !== undefined) {
        row({ label: a.label, status: 'unsupported', detail: unsupported });
        continue;
      }
      try {
        const r = await timedRun(a.backend, o.spec, o.weights, o.inputs.tensors, 3);
        const v = judge(r.outputs, expected, defaultTolerance);
        const f = v.failure;
        row({
          label: a.label,
          status: v.ok ? 'pass' : 'fail',
          maxAbs: v.maxAbsError,
          maxRel: v.maxRelError,
          ms: r.medianMs,
          ...(f === undefined
            ? {}
            : {
                detail:
                  f.reason ??
                  `${f.output}[${f.worstPosition.join(', ')}]: got ${f.got}, want ${f.want}`,
              }),
        });
      } catch (e) {
        row({ label: a.label, status: 'error', detail: errorText(e) });
      }
    }
    dispatch({ type: 'compare-done', version });
  } catch (e) {
    dispatch({ type: 'compare-done', version, error: errorText(e) });
  }
}
