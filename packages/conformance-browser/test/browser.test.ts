// Runs the built page in headless Chromium on a few cases with the reference and tfjs:cpu, and
// checks the report the node side brings back: every cell judged, every cell passing.
import { existsSync } from 'node:fs';
import { exitCode, renderTerminal } from '@tessera/conformance';
import { describe, expect, it } from 'vitest';
import { defaultChromium, runBrowserConformance } from '../src/index.ts';

const chromium = process.env.TESSERA_CHROMIUM ?? defaultChromium;
const haveChromium = existsSync(chromium);
if (!haveChromium)
  console.warn(
    `skipping the browser conformance test: no Chromium at ${chromium} (apt-get install -y chromium)`,
  );

const cases = 'linear/*,relu/*,softmax/*';

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
      report.cases.every((c) => /^(linear|relu|softmax)\//.test(c.id)),
      text,
    ).toBe(true);
    expect(report.cells).toHaveLength(report.cases.length * 2);
    expect(
      report.cells.filter((c) => c.status !== 'pass'),
      text,
    ).toEqual([]);
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
      executablePath: chromium,
      timeoutMs: 120_000,
      webgpu: false,
      onConsoleError: () => {},
    });
    expect(report.browser.webgpu).toMatch(/^unavailable/);
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
