// @vitest-environment node
// The conformance run split over workers: which variant gets a worker of its own, and the lanes'
// reports folded (by the page's reducer) into the report one worker running every variant gives.
import { type CellResult, type ConformanceReport, catalogue } from '@tessera/conformance';
import { expect, test } from 'vitest';
import { conformanceHost, type FromConformance } from './conformance-host';
import { lanesOf, mergeReports } from './worker-lanes';
import { type ConformanceState, conformanceReducer, initialConformance } from './use-conformance';

test('every variant that needs WebGL runs in a worker of its own, the others share one', () => {
  expect(lanesOf(['reference:f64', 'tfjs:webgl', 'tfjs:cpu', 'gpujs:webgl2', 'ort:wasm'])).toEqual([
    ['reference:f64', 'tfjs:cpu', 'ort:wasm'],
    ['tfjs:webgl'],
    ['gpujs:webgl2'],
  ]);
  expect(lanesOf(['tfjs:webgl'])).toEqual([['tfjs:webgl']]);
  expect(lanesOf(['tfjs:cpu', 'ort:webgpu'])).toEqual([['tfjs:cpu', 'ort:webgpu']]);
});

/** What of a cell does not depend on when or where it ran. */
const stable = (c: CellResult) => [c.caseId, c.backend, c.status, c.maxAbsError ?? null];

test('the lanes, run apart and merged, give the report of one run over every variant', async () => {
  const cases = catalogue.filter((c) => c.id.startsWith('linear/')).slice(0, 2);
  const labels = ['reference:f64', 'gpujs:webgl2', 'tfjs:cpu'];
  const run = async (which: string[]) => {
    const messages: FromConformance[] = [];
    await conformanceHost(
      (m) => messages.push(m),
      undefined,
      cases,
    )({ type: 'start', assetsBase: 'http://127.0.0.1/', labels: which });
    return messages;
  };
  const whole = (await run(labels)).at(-1);
  if (whole?.type !== 'done') throw new Error(`the single run ended with ${whole?.type}`);

  const lanes = lanesOf(labels);
  expect(lanes).toEqual([['reference:f64', 'tfjs:cpu'], ['gpujs:webgl2']]);
  const streams = await Promise.all(lanes.map(run));
  let s: ConformanceState = conformanceReducer(initialConformance, {
    type: 'start',
    at: 0,
    labels,
    lanes,
  });
  // The second lane's messages arrive first: nothing may depend on the lanes' order of arrival.
  let at = 0;
  for (const lane of [1, 0])
    for (const message of streams[lane]) {
      at += 10;
      s = conformanceReducer(s, { type: 'message', lane, message, at });
      if (message.type === 'plan') expect(s.total).toBe(whole.report.cells.length);
      // Not done while a lane is still running.
      if (lane === 1) expect(s.phase).toBe('running');
    }
  expect(s.phase).toBe('done');
  expect(s.done).toBe(s.total);
  expect(s.columns.map((c) => c.label)).toEqual(labels);
  const merged = s.report!;
  expect(merged.backends).toEqual(whole.report.backends);
  expect(merged.cases).toEqual(whole.report.cases);
  expect(merged.cells.map(stable)).toEqual(whole.report.cells.map(stable));
  expect(merged.counts).toEqual(whole.report.counts);
  expect(merged.widened).toEqual(whole.report.widened);
  expect(merged.randomSeeds).toEqual(whole.report.randomSeeds);
});

test('widenings: a case its own once, each variant its own, in the order of the grid', () => {
  const cell = (caseId: string, backend: string): CellResult =>
    ({ caseId, backend, status: 'pass' }) as CellResult;
  const report = (backends: string[], widened: ConformanceReport['widened']): ConformanceReport =>
    ({
      startedAt: backends[0] === 'a' ? '2026-01-01T00:00:00.000Z' : '2026-01-01T00:00:01.000Z',
      durationMs: backends[0] === 'a' ? 5000 : 1000,
      cases: [{ id: 'x' }, { id: 'y' }],
      backends: backends.map((label) => ({ label, available: true })),
      cells: ['x', 'y'].flatMap((id) => backends.map((b) => cell(id, b))),
      widened,
      randomSeeds: [],
      counts: {},
    }) as unknown as ConformanceReport;
  const own = (caseId: string) => ({ caseId, atol: 1, rtol: 1, reason: 'case' });
  const a = report(['a'], [own('x'), { ...own('y'), backend: 'a', reason: 'a on y' }]);
  const b = report(['b'], [own('x'), { ...own('x'), backend: 'b', reason: 'b on x' }]);
  const m = mergeReports([b, a], ['a', 'b']);
  expect(m.cells.map((c) => `${c.caseId}:${c.backend}`)).toEqual(['x:a', 'x:b', 'y:a', 'y:b']);
  expect(m.widened.map((w) => w.reason)).toEqual(['case', 'b on x', 'a on y']);
  expect(m.counts.pass).toBe(4);
  // From a's start (0 s) to a's end (5 s); b ran from 1 s to 2 s inside it.
  expect(m.startedAt).toBe('2026-01-01T00:00:00.000Z');
  expect(m.durationMs).toBe(5000);
  expect(() => mergeReports([a], ['a', 'b'])).toThrow('no conformance report has b');
});
