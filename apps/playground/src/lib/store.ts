// The page's state in one place: one reducer over every action a person (or a finished job)
// takes. Whatever a result was computed from — the spec, preset, backend, seed, bindings,
// weights, tokenizer or prompt — changing it clears that result, and an answer that arrives
// after such a change is dropped (`version`), so nothing stale is ever shown.
import type { ModelSpec, PresetName } from '@tessera/spec';
import type { LoadedTokenizer } from '../components/TokenizerLoader';
import type { Availability } from './backends';
import { type Checked, checkSpecText } from './diagnostics';
import type { Shared } from './hash';
import { buildFromFields, defaultFields, isPresetName } from './preset-fields';
import type { Timed } from './run';
import type { LoadedWeights } from './weight-files';

export type Tab = 'run' | 'compare' | 'conformance' | 'weights';
export const tabs: readonly Tab[] = ['run', 'compare', 'conformance', 'weights'];

/** Attention of one head: rows are queries, columns keys, with the tokens' labels. */
export interface HeatMap {
  label: string;
  probs: number[][];
  tokens: string[];
}

export interface RunResult {
  label: string;
  timed: Timed;
  heat: HeatMap[];
}

export type RunState =
  | { phase: 'idle' }
  | { phase: 'running'; label: string }
  | { phase: 'done'; result: RunResult }
  | { phase: 'error'; message: string };

export interface CompareRow {
  label: string;
  status: 'pass' | 'fail' | 'error' | 'unsupported' | 'unavailable';
  maxAbs?: number;
  maxRel?: number;
  ms?: number;
  detail?: string;
}

export interface State {
  preset: PresetName;
  /** The preset's fields as typed, and what is wrong with any of them. */
  fields: Record<string, string>;
  fieldProblems: Record<string, string>;
  text: string;
  checked: Checked;
  /** The last valid spec: the graph and every panel use it while the text is invalid. */
  good: ModelSpec;
  backend: string;
  seed: number;
  bindingText: string;
  tab: Tab;
  /** Weights a person loaded; they are used only while they fit `good` (see weightsOf). */
  loaded: LoadedWeights | null;
  /** Why the last file chosen did not load. */
  weightsError: string | null;
  tokenizer: LoadedTokenizer | null;
  prompt: string;
  availability: Availability[];
  run: RunState;
  compare: { running: boolean; rows: CompareRow[]; error?: string };
  /** Bumped by every change a result depends on; answers carry the version they started at. */
  version: number;
  /** A range of the spec text the editor should select and show (`seq` makes each ask new). */
  focus: { from: number; to: number; seq: number } | null;
  /** The graph node whose details are shown. */
  selected: string | null;
  /** A failed download or export, shown until the next action. */
  notice: string | null;
}

export type Action =
  | { type: 'edit'; text: string }
  | { type: 'preset'; preset: PresetName }
  | { type: 'field'; name: string; text: string }
  | { type: 'backend'; label: string }
  | { type: 'seed'; seed: number }
  | { type: 'bindings'; text: string }
  | { type: 'tab'; tab: Tab }
  | { type: 'weights-loaded'; loaded: LoadedWeights }
  | { type: 'weights-failed'; message: string }
  | { type: 'weights-cleared' }
  | { type: 'tokenizer'; tokenizer: LoadedTokenizer | null }
  | { type: 'prompt'; prompt: string }
  | { type: 'availability'; list: Availability[] }
  | { type: 'run-start'; label: string }
  | { type: 'run-done'; version: number; result: RunResult }
  | { type: 'run-failed'; version: number; label: string; message: string }
  | { type: 'compare-start' }
  | { type: 'compare-row'; version: number; row: CompareRow }
  | { type: 'compare-done'; version: number; error?: string }
  | { type: 'focus'; from: number; to: number }
  | { type: 'select'; id: string | null }
  | { type: 'notice'; message: string | null };

export const defaultPreset: PresetName = 'transformerLM';

export function initialState(shared: Shared = {}): State {
  const preset = isPresetName(shared.preset) ? shared.preset : defaultPreset;
  const fields = { ...defaultFields(preset), ...(shared.params ?? {}) };
  const built = buildFromFields(preset, fields);
  const fallback = buildFromFields(preset, defaultFields(preset));
  if (!fallback.ok) throw new Error(`the ${preset} preset does not build at its defaults`);
  const text = shared.specText ?? (built.ok ? built.text : fallback.text);
  const checked = checkSpecText(text);
  return {
    preset,
    fields,
    fieldProblems: built.ok ? {} : built.problems,
    text,
    checked,
    good: checked.spec ?? (built.ok ? built.spec : fallback.spec),
    backend: shared.backend ?? 'reference:f64',
    seed: 0,
    bindingText: 'batch=1,time=8,frames=16',
    tab: 'run',
    loaded: null,
    weightsError: null,
    tokenizer: null,
    prompt: 'the cat ',
    availability: [],
    run: { phase: 'idle' },
    compare: { running: false, rows: [] },
    version: 0,
    focus: null,
    selected: null,
    notice: null,
  };
}

/** Clears every result computed from what changed, and drops the answers still on their way. */
function invalidate(s: State): State {
  return {
    ...s,
    version: s.version + 1,
    run: { phase: 'idle' },
    compare: { running: false, rows: [] },
    notice: null,
  };
}

function withText(s: State, text: string): State {
  const checked = checkSpecText(text);
  const good = checked.spec ?? s.good;
  const selected = s.selected !== null && hasNode(good, s.selected) ? s.selected : null;
  return invalidate({ ...s, text, checked, good, selected });
}

function hasNode(spec: ModelSpec, id: string): boolean {
  return spec.nodes.some((n) => n.id === id) || Object.hasOwn(spec.inputs, id);
}

export function reducer(s: State, a: Action): State {
  switch (a.type) {
    case 'edit':
      return a.text === s.text ? s : withText(s, a.text);
    case 'preset': {
      const fields = defaultFields(a.preset);
      const built = buildFromFields(a.preset, fields);
      if (!built.ok) return { ...s, notice: `the ${a.preset} preset did not build` };
      return withText(
        { ...s, preset: a.preset, fields, fieldProblems: {}, loaded: null, weightsError: null },
        built.text,
      );
    }
    case 'field': {
      const fields = { ...s.fields, [a.name]: a.text };
      const built = buildFromFields(s.preset, fields, a.name);
      // An invalid field keeps the spec of the last good values; the field says what is wrong.
      if (!built.ok) return { ...s, fields, fieldProblems: built.problems };
      return withText({ ...s, fields, fieldProblems: {} }, built.text);
    }
    case 'backend':
      // Only the run depends on the backend chosen (compare runs them all); a run still on its
      // way is dropped by its label.
      return a.label === s.backend ? s : { ...s, backend: a.label, run: { phase: 'idle' } };
    case 'seed':
      return invalidate({ ...s, seed: a.seed });
    case 'bindings':
      return invalidate({ ...s, bindingText: a.text });
    case 'tab':
      return { ...s, tab: a.tab };
    case 'weights-loaded':
      return invalidate({ ...s, loaded: a.loaded, weightsError: null });
    case 'weights-failed':
      // A failed load leaves the weights in use as they were.
      return { ...s, weightsError: a.message };
    case 'weights-cleared':
      return invalidate({ ...s, loaded: null, weightsError: null });
    case 'tokenizer':
      return invalidate({ ...s, tokenizer: a.tokenizer });
    case 'prompt':
      return invalidate({ ...s, prompt: a.prompt });
    case 'availability':
      return { ...s, availability: a.list };
    case 'run-start':
      return { ...s, run: { phase: 'running', label: a.label }, notice: null };
    case 'run-done':
      return a.version === s.version && a.result.label === s.backend
        ? { ...s, run: { phase: 'done', result: a.result } }
        : s;
    case 'run-failed':
      return a.version === s.version && a.label === s.backend
        ? { ...s, run: { phase: 'error', message: a.message } }
        : s;
    case 'compare-start':
      return { ...s, compare: { running: true, rows: [] } };
    case 'compare-row':
      return a.version === s.version
        ? { ...s, compare: { ...s.compare, rows: [...s.compare.rows, a.row] } }
        : s;
    case 'compare-done':
      return a.version === s.version
        ? {
            ...s,
            compare: {
              running: false,
              rows: s.compare.rows,
              ...(a.error === undefined ? {} : { error: a.error }),
            },
          }
        : s;
    case 'focus':
      return { ...s, focus: { from: a.from, to: a.to, seq: (s.focus?.seq ?? 0) + 1 } };
    case 'select':
      return { ...s, selected: a.id };
    case 'notice':
      return { ...s, notice: a.message };
  }
}
