// What the generation panel says, in words, for the states the worker's answers lead to.
import { expect, test } from 'vitest';
import { initialGeneration } from '../lib/use-generation';
import { decoderLine, statusLine } from './GeneratePanel';

test('a variant that cannot start in the worker is named with its reason, and not run on the page', () => {
  const line = statusLine({
    ...initialGeneration,
    phase: 'error',
    label: 'tfjs:webgl',
    error: { stage: 'backend', message: 'needs a webgl context, and OffscreenCanvas gave none' },
  });
  expect(line).toBe(
    'tfjs:webgl cannot start in a Web Worker in this browser: needs a webgl context, and OffscreenCanvas gave none. It is not run on the page instead, where it would hold the page still until it finished: choose another backend.',
  );
});

test('done: tokens, compile, prefill, rate; the decoder or why not', () => {
  const done = {
    ...initialGeneration,
    phase: 'done' as const,
    label: 'tfjs:wasm',
    tokens: 3,
    compileMs: 12.4,
    stats: { ids: [1, 2, 3], prefillMs: 4.25, tokensPerSecond: 80, cached: true },
  };
  expect(statusLine(done)).toBe(
    '3 tokens · compile 12 ms · prefill 4.3 ms · 80.0 tokens/s after it',
  );
  expect(statusLine({ ...done, stopped: true })).toMatch(/^stopped after 3 tokens · /);
  expect(decoderLine({ ...done, info: { cached: true, stateBytes: 3 * 1024 } })).toContain(
    '3.0 KiB of state',
  );
  expect(decoderLine({ ...done, info: { cached: false, reason: 'not causal' } })).toBe(
    'decoder: off, the whole prefix recomputed for every token: not causal',
  );
});
