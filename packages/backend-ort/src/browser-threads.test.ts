// The browser variants' default wasm thread count (backend.ts hardwareThreads): one unless the
// page is cross-origin isolated, where ORT may share memory between its threads.
import { expect, test } from 'vitest';
import { hardwareThreads } from './backend.js';

test('one thread without cross-origin isolation, the cores with it', () => {
  const navigator = { hardwareConcurrency: 8 };
  expect(hardwareThreads({ navigator })).toBe(1);
  expect(hardwareThreads({ crossOriginIsolated: false, navigator })).toBe(1);
  expect(hardwareThreads({ crossOriginIsolated: true, navigator })).toBe(8);
  expect(hardwareThreads({ crossOriginIsolated: true })).toBe(1);
  // Node.js has no crossOriginIsolated: one, whatever its navigator says.
  expect(hardwareThreads()).toBe(1);
});
