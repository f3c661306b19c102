// @vitest-environment node
// The conformance panel's state, and the worker's side run here in node on a few cases: the
// plan first (rows, columns, a variant that cannot start with its reason), then batches of
// conformance's own cells, then its report.
import { catalogue, matrixRows } from '@tessera/conformance';
import { expect, test } from 'vitest';
import { conformanceHost, type FromConformance } from './conformance-host';
import {
  cellKey,
  conformanceReducer,
  etaSeconds,
  initialConformance,
  type ConformanceState,
} from './use-conformance';

test('the worker plans, streams cells and reports; the reducer folds them into a grid', async () => {
  const cases = catalogue.filter((c) => c.id.startsWith('linear/')).slice(0, 2);
  expect(cases).toHaveLength(2);
  const messages: FromConformance[] = [];
  await conformanceHost(
    (m) => messages.push(m),
    undefined,
    cases,
  )({
    type: 'start',
    assetsBase: 'http://127.0.0.1/',
    labels: ['reference:f64', 'gpujs:webgl2'],
  });
  expect(messages[0].type).toBe('plan');
  expect(messages.at(-1)?.type).toBe('done');
  let s: ConformanceState = conformanceReducer(initialConformance, {
    type: 'start',
    at: 0,
    labels: ['reference:f64', 'gpujs:webgl2'],
    lanes: [['reference:f64', 'gpujs:webgl2']],
  });
  messages.forEach((message, i) => {
    s = conformanceReducer(s, { type: 'message', lane: 0, message, at: (i + 1) * 1000 });
  });
  expect(s.phase).toBe('done');
  // A decodable case has a second row of decoding cells.
  const rows = matrixRows(cases).map((r) => r.id);
  expect(s.rows).toEqual(rows);
  // node has no OffscreenCanvas: the webgl variant is unavailable, with the reason.
  expect(s.columns.map((c) => [c.label, c.available])).toEqual([
    ['reference:f64', true],
    ['gpujs:webgl2', false],
  ]);
  expect(s.columns[1].reason).toMatch(/OffscreenCanvas/);
  expect(s.cells[cellKey(cases[0].id, 'reference:f64')].status).toBe('pass');
  expect(s.cells[cellKey(cases[1].id, 'gpujs:webgl2')].status).toBe('unavailable');
  expect(s.report?.cells).toHaveLength(rows.length * 2);
  expect(Object.keys(s.cells)).toHaveLength(rows.length * 2);
});

test('the time left is the rate so far times the cells left; cancel keeps the cells', () => {
  const s: ConformanceState = {
    ...initialConformance,
    phase: 'running',
    total: 100,
    done: 25,
    startedAt: 1000,
    lastAt: 6000,
  };
  // 25 cells in 5 s: 0.2 s a cell, 75 left.
  expect(etaSeconds(s)).toBeCloseTo(15, 9);
  const c = conformanceReducer(s, { type: 'cancel' });
  expect(c.phase).toBe('cancelled');
  expect(c.done).toBe(25);
  // Nothing more is taken after a cancel.
  expect(
    conformanceReducer(c, {
      type: 'message',
      lane: 0,
      message: { type: 'cells', done: 26, total: 100, cells: [] },
      at: 7000,
    }).done,
  ).toBe(25);
});
