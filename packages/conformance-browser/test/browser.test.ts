// Runs the built page in headless Chromium on a few cases with the reference and tfjs:cpu, and
// checks the report the node side brings back: every cell judged, the ordinary and the decoding
// ones, every cell passing (tfjs:cpu's decoding cells may say it has no decoder yet); then that
// tfjs:webgpu starts and a listed failure comes back with its reason.
import { existsSync } from 'node:fs';
import {
  catalogue,
  decodingOf,
  exitCode,
  noDecoderReason,
  renderTerminal,
} from '@tessera/conformance';
import { describe, expect, it } from 'vitest';
import { defaultChromium, runBrowserConformance } from '../src/index.ts';

const chromium = process.env.TESSERA_CHROMIUM ?? defaultChromium;
const haveChromium = existsSync(chromium);
if (!haveChromium)
  console.warn(
    `skipping the browser conformance test: no Chromium at ${chromium} (apt-get install -y chromium)`,
  );

// lstm/2layer: a decoding cell that carries h and c of two layers from step to step.
const cases = 'linear/*,relu/*,softmax/*,lstm/2layer';

describe.skipIf(!haveChromium)('conformance in headless Chromium', () => {
  it('runs reference:f64 and tfjs:cpu in the page and every cell passes', async () => {
    const progress: string[] = [];
    const consoleErrors: string[] = [];
    const report = await runBrowserConformance({
      backends: ['reference:f64', 'tfjs:cpu'],
      cases,
      executablePath: chromium,
      timeoutMs: 120_000,
      onProgress: (done, total, cell) =>
        progress.push(`${done}/${total} ${cell.caseId} ${cell.backend} ${cell.status}`),
      onConsoleError: (text) => consoleErrors.push(text),
    });
    const text = renderTerminal(report);
    expect(report.backends.map((b) => [b.label, b.available, b.reason])).toEqual([
      ['reference:f64', true, undefined],
      ['tfjs:cpu', true, undefined],
    ]);
    expect(report.cases.length, text).toBeGreaterThanOrEqual(3);
    expect(
      report.cases.every((c) => /^(linear|relu|softmax|lstm)\//.test(c.id)),
      text,
    ).toBe(true);
    // Each decodable case has its decoding row right after it.
    const decodeRows = report.cases.filter((c) => c.kind === 'decode');
    expect(decodeRows.map((c) => c.id)).toContain('lstm/2layer/decode');
    for (const [i, row] of report.cases.entries()) {
      if (row.kind === 'decode') expect(report.cases[i - 1].id).toBe(row.decodes);
      else
        expect(decodingOf(catalogue.find((c) => c.id === row.id)!) !== undefined).toBe(
          report.cases[i + 1]?.id === `${row.id}/decode`,
        );
    }
    expect(report.cells).toHaveLength(report.cases.length * 2);
    const notDecoding = (c: (typeof report.cells)[number]) =>
      c.kind === 'decode' &&
      c.backend === 'tfjs:cpu' &&
      c.status === 'unsupported' &&
      c.reason === noDecoderReason;
    expect(
      report.cells.filter((c) => c.status !== 'pass' && !notDecoding(c)),
      text,
    ).toEqual([]);
    expect(
      report.cells
        .filter((c) => c.kind === 'decode' && c.backend === 'reference:f64')
        .map((c) => c.status),
    ).toEqual(decodeRows.map(() => 'pass'));
    expect(exitCode(report)).toBe(0);
    // Progress crossed from the page to node once per cell, in order.
    expect(progress).toHaveLength(report.cells.length);
    expect(progress.at(-1)).toMatch(new RegExp(`^${report.cells.length}/${report.cells.length} `));
    expect(report.browser.userAgent).toMatch(/Chrome/);
    expect(report.browser.missingFiles).toEqual([]);
    expect(consoleErrors).toEqual([]);
  }, 180_000);

  it('lists a variant that cannot start as unavailable, with the reason, instead of failing the run', async () => {
    // Launched without --enable-unsafe-webgpu, this Chromium has no WebGPU adapter: ort:webgpu cannot start.
    const report = await runBrowserConformance({
      backends: ['reference:f64', 'ort:webgpu'],
      cases: 'relu/*',
      kinds: ['run'],
      executablePath: chromium,
      timeoutMs: 120_000,
      webgpu: false,
      onConsoleError: () => {},
    });
    expect(report.browser.webgpu).toMatch(/^unavailable/);
    // kinds: ['run'] reached the page: no decoding rows.
    expect(report.cases.filter((c) => c.kind === 'decode')).toEqual([]);
    const column = report.backends.find((b) => b.label === 'ort:webgpu');
    expect(column?.available).toBe(false);
    expect(column?.reason).toMatch(/\w/);
    expect(report.cells.filter((c) => c.backend === 'ort:webgpu').map((c) => c.status)).toEqual(
      report.cases.map(() => 'unavailable'),
    );
    expect(
      report.cells.filter((c) => c.backend === 'reference:f64').every((c) => c.status === 'pass'),
    ).toBe(true);
    expect(exitCode(report)).toBe(0);
  }, 180_000);

  it('starts tfjs:webgpu (backend-tfjs imports tfjs-backend-webgpu) and reports a listed failure with its reason', async () => {
    const report = await runBrowserConformance({
      backends: ['tfjs:webgpu'],
      cases: 'relu/basic,sigmoid/*',
      kinds: ['run'],
      executablePath: chromium,
      timeoutMs: 120_000,
      onConsoleError: () => {},
    });
    const text = renderTerminal(report);
    expect(
      report.backends.map((b) => [b.label, b.available, b.reason]),
      text,
    ).toEqual([['tfjs:webgpu', true, undefined]]);
    const status = Object.fromEntries(report.cells.map((c) => [c.caseId, c.status]));
    expect(status, text).toMatchObject({ 'relu/basic': 'pass', 'sigmoid/basic': 'pass' });
    // sigmoid(NaN) is 0 on SwiftShader's WebGPU: listed in @tessera/conformance's expectations. On a
    // GPU that keeps the NaN the cell is an unexpected pass; either way the report gives the reason.
    const nan = report.cells.find((c) => c.caseId === 'sigmoid/non-finite');
    expect(['expected-fail', 'unexpected-pass']).toContain(nan?.status);
    expect(nan?.reason).toMatch(/sigmoid\(NaN\)/);
    expect(text).toContain(`sigmoid/non-finite on tfjs:webgpu: ${nan?.reason}`);
    expect(exitCode(report)).toBe(0);
  }, 180_000);

  it("rejects with the page's reason when the query selects no case", async () => {
    await expect(
      runBrowserConformance({
        backends: ['reference:f64'],
        cases: 'no-such-op/*',
        executablePath: chromium,
        timeoutMs: 60_000,
        onConsoleError: () => {},
      }),
    ).rejects.toThrow(/the conformance page failed: .*no-such-op\/\* matches no case/);
  }, 120_000);
});

describe('runBrowserConformance before launching', () => {
  it('refuses a label the page does not know, naming the known ones', async () => {
    await expect(
      runBrowserConformance({ backends: ['ort:node'], executablePath: '/nonexistent' }),
    ).rejects.toThrow(/unknown browser backend "ort:node"/);
  });

  it('says how to build the page when it is missing', async () => {
    await expect(
      runBrowserConformance({ backends: ['reference:f64'], pageDir: '/nonexistent' }),
    ).rejects.toThrow(/the conformance page is not built/);
  });
});
