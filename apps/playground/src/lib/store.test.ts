// The page's reducer: what each change clears, and answers that arrive too late being dropped.
import { describe, expect, test } from 'vitest';
import { initialState, reducer, type RunResult, type State } from './store';

const result = (label: string): RunResult => ({
  label,
  timed: { outputs: {}, compileMs: 1, firstRunMs: 1, medianMs: 1, runs: 1 },
  heat: [{ label: 'h', probs: [[1]], tokens: ['a'] }],
});

/** A state with a run result on reference:f64 and one compare row. */
function withResults(): State {
  let s = initialState();
  s = reducer(s, { type: 'run-start', label: 'reference:f64' });
  s = reducer(s, { type: 'run-done', version: s.version, result: result('reference:f64') });
  s = reducer(s, { type: 'compare-start' });
  s = reducer(s, {
    type: 'compare-row',
    version: s.version,
    row: { label: 'tfjs:cpu', status: 'pass' },
  });
  return s;
}

describe('nothing stale', () => {
  test('a result is shown for the state it was made from', () => {
    const s = withResults();
    expect(s.run.phase).toBe('done');
    expect(s.compare.rows).toHaveLength(1);
  });

  test.each([
    ['an edit of the spec', { type: 'edit', text: `${initialState().text} ` }],
    ['another preset', { type: 'preset', preset: 'rnnClassifier' }],
    ['a preset field', { type: 'field', name: 'numLayers', text: '3' }],
    ['the seed', { type: 'seed', seed: 5 }],
    ['the bindings', { type: 'bindings', text: 'batch=2' }],
    ['the prompt', { type: 'prompt', prompt: 'a dog' }],
  ] as const)('%s clears the run and the comparison', (_, action) => {
    const s = reducer(withResults(), action);
    expect(s.run).toEqual({ phase: 'idle' });
    expect(s.compare.rows).toEqual([]);
  });

  test('another backend clears the run only (compare covers every backend)', () => {
    const s = reducer(withResults(), { type: 'backend', label: 'tfjs:cpu' });
    expect(s.run).toEqual({ phase: 'idle' });
    expect(s.compare.rows).toHaveLength(1);
  });

  test('an answer that comes after a change is dropped', () => {
    let s = initialState();
    s = reducer(s, { type: 'run-start', label: 'reference:f64' });
    const started = s.version;
    s = reducer(s, { type: 'edit', text: `${s.text}\n` });
    s = reducer(s, { type: 'run-done', version: started, result: result('reference:f64') });
    expect(s.run.phase).toBe('idle');
    // And a run of another backend than the one now chosen.
    s = reducer(s, { type: 'backend', label: 'tfjs:cpu' });
    s = reducer(s, { type: 'run-done', version: s.version, result: result('reference:f64') });
    expect(s.run.phase).toBe('idle');
  });

  test('an invalid field keeps the last good spec and says what is wrong', () => {
    const s0 = initialState();
    const s = reducer(s0, { type: 'field', name: 'dModel', text: 'wide' });
    expect(s.text).toBe(s0.text);
    expect(s.fieldProblems).toEqual({ dModel: 'a number > 0' });
    const s2 = reducer(s, { type: 'field', name: 'dModel', text: '48' });
    expect(s2.fieldProblems).toEqual({});
    expect(JSON.parse(s2.text).nodes.some((n: { dModel?: number }) => n.dModel === 48)).toBe(true);
  });

  test('an invalid spec keeps the last good one for the graph', () => {
    const s0 = initialState();
    const s = reducer(s0, { type: 'edit', text: '{' });
    expect(s.checked.spec).toBeNull();
    expect(s.good).toBe(s0.good);
  });
});

describe('a shared link', () => {
  test('restores the spec, the preset with its fields, and the backend', () => {
    const s = initialState({
      specText: '{"x": 1}',
      backend: 'ort:wasm',
      preset: 'cnnClassifier',
      params: { numClasses: '7' },
    });
    expect(s.text).toBe('{"x": 1}');
    expect(s.backend).toBe('ort:wasm');
    expect(s.preset).toBe('cnnClassifier');
    expect(s.fields.numClasses).toBe('7');
    expect(s.fields.height).toBe('28');
  });

  test('an unknown preset falls back to the default one', () => {
    expect(initialState({ preset: 'toString' }).preset).toBe('transformerLM');
  });
});
