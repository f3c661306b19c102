import { describe, expect, it } from 'vitest';
import type { CellResult, CellStatus } from './cell.js';
import { exitCode, renderMarkdown, renderTerminal, reportToJSON, summaryLine } from './report.js';
import { type ConformanceReport, cellStatuses } from './runner.js';

const tol = { atol: 1e-5, rtol: 1e-4 };

/** A report built by hand: two cases × two backends, one failing cell with a non-finite error. */
function report(statuses: CellStatus[]): ConformanceReport {
  const backends = [
    { label: 'a:x', available: true, name: 'a', variant: 'x' },
    { label: 'b|y', available: true, name: 'b', variant: 'y' },
  ];
  const ids = ['relu/basic', 'random/9-0'];
  const cells: CellResult[] = statuses.map((status, k) => ({
    caseId: ids[Math.floor(k / 2)],
    backend: backends[k % 2].label,
    status,
    tolerance: tol,
    ...(status === 'fail'
      ? {
          failure: {
            output: 'y',
            ok: false,
            maxAbsError: Number.POSITIVE_INFINITY,
            maxRelError: Number.POSITIVE_INFINITY,
            mismatches: 1,
            worstIndex: 5,
            worstPosition: [1, 2],
            worstRatio: Number.POSITIVE_INFINITY,
            got: Number.NaN,
            want: 0.25,
          },
        }
      : {}),
    ...(status === 'error' ? { message: 'boom' } : {}),
  }));
  const counts = Object.fromEntries(
    cellStatuses.map((s) => [s, cells.filter((c) => c.status === s).length]),
  ) as Record<CellStatus, number>;
  return {
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 1234,
    cases: ids.map((id) => ({
      id,
      weightSeed: 1,
      inputSeed: 2,
      inputScale: 1,
      bindings: { batch: 2 },
      explicitInputs: false,
      tolerance: tol,
    })),
    backends,
    cells,
    widened: [{ caseId: 'relu/basic', atol: 1e-3, rtol: 1e-4, reason: 'a long recurrence' }],
    randomSeeds: [9],
    counts,
  };
}

describe('reports', () => {
  it('ends the terminal matrix with the summary line', () => {
    const r = report(['pass', 'pass', 'pass', 'pass']);
    expect(summaryLine(r)).toBe('4 passed, 0 failed');
    const text = renderTerminal(r);
    expect(text.trimEnd().split('\n').at(-1)).toBe('4 passed, 0 failed');
    expect(text.split('\n')[0]).toMatch(/^case\s+a:x\s+b\|y$/);
    expect(text).not.toContain('\x1b[');
    expect(renderTerminal(r, { color: true })).toContain('\x1b[32m');
  });

  it('counts the other statuses after passed and failed', () => {
    const r = report(['fail', 'error', 'unsupported', 'unexpected-pass']);
    expect(summaryLine(r)).toBe('0 passed, 1 failed, 1 error, 1 unsupported, 1 unexpected pass');
    const text = renderTerminal(r);
    expect(text).toContain(
      'relu/basic on a:x: output y differs at flat index 5 [1, 2]: got NaN, want 0.25',
    );
    expect(text).toContain('relu/basic on b|y: error: boom');
    expect(text).toContain('relu/basic: atol 0.001, rtol 0.0001: a long recurrence');
    expect(text).toContain('seeds 9');
  });

  it('renders Markdown with a table, one row per case and a column per backend', () => {
    const md = renderMarkdown(report(['pass', 'fail', 'pass', 'expected-fail']));
    const lines = md.split('\n');
    expect(lines).toContain('| case | a:x | b\\|y |');
    expect(lines).toContain('| --- | --- | --- |');
    expect(lines).toContain('| relu/basic | pass | **FAIL** |');
    expect(lines).toContain('| random/9-0 | pass | **expected-fail** |');
    expect(md).toContain('## Widened tolerances');
    expect(md).toContain('2 passed, 1 failed, 1 expected failure');
  });

  it('gives JSON with a schema version that survives JSON.stringify, non-finite numbers as strings', () => {
    const j = reportToJSON(report(['fail', 'pass', 'pass', 'pass'])) as Record<string, unknown>;
    expect(j.schemaVersion).toBe(1);
    const back = JSON.parse(JSON.stringify(j));
    expect(back.summary).toBe('3 passed, 1 failed');
    expect(back.cells[0]).toMatchObject({
      case: 'relu/basic',
      backend: 'a:x',
      status: 'fail',
      failure: { maxAbsError: 'Infinity', got: 'NaN', want: 0.25, worstIndex: 5 },
    });
    expect(back.randomSeeds).toEqual([9]);
    expect(back.widened[0].reason).toBe('a long recurrence');
    expect(Object.keys(back).sort()).toEqual([
      'backends',
      'cases',
      'cells',
      'counts',
      'durationMs',
      'randomSeeds',
      'schemaVersion',
      'startedAt',
      'summary',
      'widened',
    ]);
  });

  it('shows decoding rows as their own kind: ids, counts after the totals, JSON kind and step', () => {
    const r = report(['pass', 'unsupported', 'pass', 'fail']);
    // Make the second row the first one's decoding row.
    r.cases[1] = {
      ...r.cases[0],
      id: 'relu/basic/decode',
      kind: 'decode',
      decodes: 'relu/basic',
      chunks: [2, 1, 2],
    };
    for (const cell of r.cells.slice(2)) {
      cell.caseId = 'relu/basic/decode';
      cell.kind = 'decode';
      cell.chunks = [2, 1, 2];
    }
    r.cells[3].failure!.step = 3;
    r.cells[3].failure!.got = 0.5;
    r.cells[3].failure!.maxAbsError = 0.25;
    r.cells[3].failure!.worstRatio = 2500;
    expect(summaryLine(r)).toBe('2 passed, 1 failed, 1 unsupported (decoding: 1 passed, 1 failed)');
    const text = renderTerminal(r);
    expect(text).toMatch(/^relu\/basic\/decode\s+pass\s+FAIL$/m);
    expect(text).toContain(
      'relu/basic/decode on b|y: output y differs at flat index 5 [1, 2] (step 3 of chunks 2+1+2): got 0.5, want 0.25',
    );
    expect(renderMarkdown(r)).toContain('| relu/basic/decode | pass | **FAIL** |');
    const j = JSON.parse(JSON.stringify(reportToJSON(r)));
    expect(j.cases.map((c: { kind: string }) => c.kind)).toEqual(['run', 'decode']);
    expect(j.cases[1]).toMatchObject({ decodes: 'relu/basic', chunks: [2, 1, 2] });
    expect(j.cells.map((c: { kind: string }) => c.kind)).toEqual([
      'run',
      'run',
      'decode',
      'decode',
    ]);
    expect(j.cells[3]).toMatchObject({ chunks: [2, 1, 2], failure: { step: 3 } });
  });

  it('exits non-zero on any fail or error, but not on expected failures or skips', () => {
    expect(exitCode(report(['pass', 'pass', 'pass', 'pass']))).toBe(0);
    expect(exitCode(report(['pass', 'expected-fail', 'unsupported', 'unavailable']))).toBe(0);
    expect(exitCode(report(['pass', 'fail', 'pass', 'pass']))).toBe(1);
    expect(exitCode(report(['pass', 'pass', 'error', 'pass']))).toBe(1);
    expect(exitCode(report(['pass', 'pass', 'unexpected-pass', 'pass']))).toBe(0);
    expect(
      exitCode(report(['pass', 'pass', 'unexpected-pass', 'pass']), { failOnUnexpectedPass: true }),
    ).toBe(1);
  });
});
