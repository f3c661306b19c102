// The generation reducer: how the worker's answers become the panel's state.
import { describe, expect, test } from 'vitest';
import type { FromWorker } from './generation';
import {
  type GenerationAction,
  type GenerationState,
  generationReducer,
  initialGeneration,
  isRunning,
  rateSoFar,
} from './use-generation';

const stats = { ids: [5, 6], prefillMs: 3, tokensPerSecond: 50, cached: true };

function run(actions: GenerationAction[], from: GenerationState = initialGeneration) {
  return actions.reduce(generationReducer, from);
}
const msg = (message: FromWorker, at = 0): GenerationAction => ({ type: 'message', message, at });

describe('generationReducer', () => {
  test('a request compiles, starts, streams tokens and ends with the stats', () => {
    const s = run([
      { type: 'request', id: 1, label: 'tfjs:wasm' },
      msg({ type: 'compiled', id: 1, ms: 12, reused: false }),
      msg({ type: 'started', id: 1, info: { cached: true, stateBytes: 64 } }),
      msg({ type: 'token', id: 1, index: 0, token: 5, text: 'a' }, 100),
      msg({ type: 'token', id: 1, index: 1, token: 6, text: 'ab' }, 300),
    ]);
    expect(s).toMatchObject({ phase: 'generating', text: 'ab', tokens: 2, compileMs: 12 });
    // One token after the first in 200 ms.
    expect(rateSoFar(s)).toBe(5);
    const done = generationReducer(
      s,
      msg({ type: 'done', id: 1, stats, text: 'ab', stopped: false }),
    );
    expect(done).toMatchObject({ phase: 'done', stats, stopped: false, tokens: 2 });
    expect(isRunning(done)).toBe(false);
  });

  test('answers to an earlier request are ignored', () => {
    const s = run([
      { type: 'request', id: 1, label: 'a' },
      { type: 'request', id: 2, label: 'b' },
      msg({ type: 'token', id: 1, index: 0, token: 5, text: 'old' }),
      msg({ type: 'done', id: 1, stats, text: 'old', stopped: false }),
    ]);
    expect(s).toMatchObject({ phase: 'compiling', id: 2, label: 'b', text: '' });
  });

  test('stop: stopping until the worker says done; a start arriving meanwhile keeps it so', () => {
    const s = run([
      { type: 'request', id: 1, label: 'a' },
      { type: 'stop' },
      msg({ type: 'started', id: 1, info: { cached: false, reason: 'r' } }),
    ]);
    expect(s.phase).toBe('stopping');
    expect(
      generationReducer(s, msg({ type: 'done', id: 1, stats, text: 'ab', stopped: true })),
    ).toMatchObject({ phase: 'done', stopped: true });
  });

  test('ended: Stop ended the worker', () => {
    const s = run([{ type: 'request', id: 1, label: 'a' }, { type: 'stop' }, { type: 'ended' }]);
    expect(s).toMatchObject({ phase: 'done', stopped: true, ended: true });
    // Neither stop nor ended changes a finished generation.
    expect(run([{ type: 'stop' }, { type: 'ended' }], s)).toBe(s);
  });

  test('an error keeps its stage and message', () => {
    const s = run([
      { type: 'request', id: 3, label: 'gpujs:webgl2' },
      msg({ type: 'error', id: 3, stage: 'backend', message: 'needs a webgl2 context' }),
    ]);
    expect(s).toMatchObject({
      phase: 'error',
      error: { stage: 'backend', message: 'needs a webgl2 context' },
    });
  });
});
