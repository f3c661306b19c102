// @vitest-environment node
// End to end against the built app served on 127.0.0.1, in Debian's Chromium driven by
// playwright-core: load a preset, break the spec and see it underlined, fix it, run on two
// backends, see the comparison pass, generate text. Screenshots of each step go to test-output/.
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumArgs, defaultChromium } from '@tessera/conformance-browser';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { type PreviewServer, preview } from 'vite';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const chromiumPath = defaultChromium;
const shots = join(root, 'test-output', 'screenshots');
const built = existsSync(join(root, 'dist', 'index.html'));

/** Replaces `from` by `to` in the editor's document, as a person's edit would. */
async function replaceInEditor(page: Page, from: string, to: string): Promise<void> {
  await page.evaluate(
    ([a, b]) => {
      const view = (
        document.querySelector('[data-testid="editor"]') as unknown as {
          editorView: { state: { doc: { toString(): string } }; dispatch(t: unknown): void };
        }
      ).editorView;
      const at = view.state.doc.toString().indexOf(a);
      view.dispatch({ changes: { from: at, to: at + a.length, insert: b } });
    },
    [from, to],
  );
}

describe.skipIf(!existsSync(chromiumPath) || !built)('playground in Chromium', () => {
  let server: PreviewServer;
  let browser: BrowserContext;
  let page: Page;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    server = await preview({
      root,
      logLevel: 'error',
      preview: { host: '127.0.0.1', port: 0, strictPort: false },
    });
    browser = await chromium.launchPersistentContext(
      mkdtempSync(join(tmpdir(), 'tessera-chromium-')),
      {
        executablePath: chromiumPath,
        viewport: { width: 1400, height: 900 },
        args: ['--headless', ...chromiumArgs],
      },
    );
    page = browser.pages()[0] ?? (await browser.newPage());
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    page.on('response', (r) => r.status() >= 400 && consoleErrors.push(`${r.status()} ${r.url()}`));
    await page.goto(server.resolvedUrls!.local[0]);
    await page.getByTestId('graph').waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((r) => server?.httpServer.close(() => r()));
  });

  test('load a preset: the graph shows its nodes', async () => {
    await page.getByTestId('preset').selectOption('rnnClassifier');
    await expect.poll(() => page.locator('[data-node="rnn"]').count()).toBe(1);
    await expect.poll(() => page.getByTestId('problems').textContent()).toContain('spec ok');
    await page.screenshot({ path: join(shots, '1-preset.png') });
  });

  test('an error is underlined at its path and listed; the last good graph stays', async () => {
    const content = page.locator('.cm-content');
    await content.click();
    // Replace inFeatures of the head (16) by 17: a width mismatch at nodes[2].inFeatures.
    const text = await page.evaluate(() => document.querySelector('.cm-content')!.textContent);
    expect(text).toContain('"inFeatures": 16');
    await replaceInEditor(page, '"inFeatures": 16', '"inFeatures": 17');
    await expect
      .poll(() => page.getByTestId('problems').textContent())
      .toContain('nodes[2].inFeatures');
    await page.locator('.cm-lintRange-error').first().waitFor();
    expect(await page.locator('[data-node="rnn"]').count()).toBe(1);
    await page.screenshot({ path: join(shots, '2-error.png') });
  });

  test('fixing it clears the error', async () => {
    await replaceInEditor(page, '"inFeatures": 17', '"inFeatures": 16');
    await expect.poll(() => page.getByTestId('problems').textContent()).toContain('spec ok');
    await expect.poll(() => page.locator('.cm-lintRange-error').count()).toBe(0);
    await page.screenshot({ path: join(shots, '3-fixed.png') });
  });

  test('run on two backends', async () => {
    for (const label of ['reference:f64', 'tfjs:cpu']) {
      await expect
        .poll(
          () =>
            page
              .locator(`[data-testid="backend"] option[value="${label}"]:not([disabled])`)
              .count(),
          { timeout: 60_000 },
        )
        .toBe(1);
      await page.getByTestId('backend').selectOption(label);
      await page.getByTestId('run').click();
      await expect
        .poll(() => page.getByTestId('result').textContent(), { timeout: 60_000 })
        .toContain('logits [1, 4]');
    }
    await page.screenshot({ path: join(shots, '4-run.png') });
  });

  test('compare: the matrix passes for every backend that starts', async () => {
    await page.getByTestId('tab-compare').click();
    await page.getByTestId('compare').click();
    await expect
      .poll(() => page.locator('[data-testid="compare-table"] tbody tr').count(), {
        timeout: 120_000,
      })
      .toBeGreaterThan(3);
    await expect
      .poll(() => page.getByTestId('compare').isDisabled(), { timeout: 120_000 })
      .toBe(false);
    const rows = await page
      .locator('[data-testid="compare-table"] tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)),
      );
    const byLabel = Object.fromEntries(rows.map((r) => [r[0], r[1]]));
    expect(byLabel['reference:f64']).toBe('pass');
    expect(byLabel['tfjs:cpu']).toBe('pass');
    expect(rows.filter((r) => r[1] === 'fail' || r[1] === 'error')).toEqual([]);
    await page.screenshot({ path: join(shots, '5-compare.png') });
  });

  test('generate text with a language-model preset', async () => {
    await page.getByTestId('preset').selectOption('transformerLM');
    await page.getByTestId('tab-run').click();
    await page.getByTestId('backend').selectOption('reference:f64');
    await page.getByTestId('prompt').fill('the cat ');
    await page.getByTestId('generate').click();
    await expect
      .poll(async () => (await page.getByTestId('generated').textContent())?.length ?? 0, {
        timeout: 60_000,
      })
      .toBeGreaterThanOrEqual(24);
    await page.getByTestId('run').click();
    await expect
      .poll(() => page.getByTestId('result').textContent(), { timeout: 60_000 })
      .toContain('next token');
    expect(await page.locator('.heatmap').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(shots, '6-generate.png') });
    expect(consoleErrors.filter((e) => !/favicon/.test(e))).toEqual([]);
  });

  test('a LLaMA-family preset (input `input_ids`) generates and takes a tokenizer.json', async () => {
    await page.getByTestId('preset').selectOption('llamaLM');
    await page.getByTestId('tab-run').click();
    await page.getByTestId('backend').selectOption('reference:f64');
    await page.getByTestId('prompt').fill('the cat ');
    await page.getByTestId('generate').click();
    await expect
      .poll(async () => (await page.getByTestId('generated').textContent())?.length ?? 0, {
        timeout: 60_000,
      })
      .toBeGreaterThanOrEqual(1);
    await page.getByTestId('tab-weights').click();
    await expect.poll(() => page.getByText('load tokenizer.json').count()).toBe(1);
    await page.screenshot({ path: join(shots, '7-llama.png') });
    expect(consoleErrors.filter((e) => !/favicon/.test(e))).toEqual([]);
  });
});
