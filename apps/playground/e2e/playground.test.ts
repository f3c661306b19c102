// @vitest-environment node
// End to end against the built app served on 127.0.0.1, in Debian's Chromium driven by
// playwright-core: load a preset, break the spec and see it underlined, fix it, run on two
// backends, see the comparison pass, generate text (in a Web Worker: streamed, stoppable, the page
// responsive meanwhile, the text @tessera/lm gives in node). Screenshots of each step go to
// test-output/.
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createBackend as createReference } from '@tessera/backend-reference';
import { chromiumArgs, defaultChromium } from '@tessera/conformance-browser';
import { generate, lmOptionsOf } from '@tessera/lm';
import { buildPreset, initWeights, parseSpec, presetParameters } from '@tessera/spec';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { type PreviewServer, preview } from 'vite';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { playgroundTokenizer } from '../src/lib/tokens';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const chromiumPath = defaultChromium;
const shots = join(root, 'test-output', 'screenshots');
const built = existsSync(join(root, 'dist', 'index.html'));

/** The generation panel's phase (idle, compiling, generating, stopping, done, error). */
function phase(page: Page): Promise<string | null> {
  return page.getByTestId('generate-panel').getAttribute('data-phase');
}

/** Waits for the generation to end, and gives how it ended. */
async function finished(page: Page, timeout = 120_000): Promise<string | null> {
  await expect.poll(() => phase(page), { timeout }).toMatch(/^(done|error)$/);
  return phase(page);
}

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
  test('max tokens is checked where it is typed', async () => {
    await page.getByTestId('preset').selectOption('rnnClassifier');
    await page.getByTestId('preset').selectOption('transformerLM');
    await page.getByTestId('tab-run').click();
    await page.getByTestId('prompt').fill('the cat ');
    // 64 positions (the preset's maxLength) less the 8 of the prompt.
    for (const bad of ['0', '57', '2.5', 'many']) {
      await page.getByTestId('maxTokens').fill(bad);
      await expect
        .poll(() => page.getByTestId('maxTokens-problem').textContent())
        .toContain('a whole number from 1 to 56');
      expect(await page.getByTestId('generate').isDisabled()).toBe(true);
    }
    await page.getByTestId('maxTokens').fill('56');
    await expect.poll(() => page.getByTestId('maxTokens-problem').count()).toBe(0);
    expect(await page.getByTestId('generate').isDisabled()).toBe(false);
  });

  test('a seeded greedy run streams, from the worker, the text @tessera/lm generates in node', async () => {
    const maxTokens = 40;
    // The page's spec and weights: the preset at its default parameters, weights of seed 0.
    const spec = parseSpec(buildPreset('transformerLM', presetParameters.transformerLM));
    const tokenizer = playgroundTokenizer(64);
    const model = await (await createReference()).compile(spec, initWeights(spec, 0));
    const ids = await generate(model, tokenizer.encode('the cat '), {
      ...lmOptionsOf(spec),
      maxTokens,
      temperature: 0,
    });
    await model.dispose();
    const want = tokenizer.decode(ids);

    await page.getByTestId('backend').selectOption('reference:f64');
    await page.getByTestId('temperature').fill('0');
    await page.getByTestId('maxTokens').fill(String(maxTokens));
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { seen: string[] }).seen = seen;
      const pre = document.querySelector('[data-testid="generated"]')!;
      new MutationObserver(() => seen.push(pre.textContent ?? '')).observe(pre, {
        childList: true,
        characterData: true,
        subtree: true,
      });
    });
    await page.getByTestId('generate').click();
    expect(await finished(page)).toBe('done');
    expect(await page.getByTestId('generated').textContent()).toBe(want);
    // Every text the page showed on the way was the start of the final one.
    const seen = await page.evaluate(() => (window as unknown as { seen: string[] }).seen);
    expect(seen.length).toBeGreaterThan(0);
    for (const t of seen) expect(want.startsWith(t)).toBe(true);
    const status = await page.getByTestId('generation-status').textContent();
    expect(status).toMatch(
      new RegExp(
        `^${maxTokens} tokens · compile \\d+ ms · prefill [\\d.]+ ms · [\\d.]+ tokens/s after it$`,
      ),
    );
    expect(await page.getByTestId('generation-decoder').textContent()).toContain('decoder: on');
    await page.screenshot({ path: join(shots, '8-greedy.png') });
  });

  test('the page stays responsive while the worker generates, and Stop stops it', async () => {
    // Long steps: 1024 positions, a prompt of 400 characters and the decoder off, so that every
    // token recomputes the whole prefix (what froze the page when generation ran on its thread).
    const prompt = 'the cat sat on the mat. '.repeat(17).slice(0, 400);
    await page.locator('label.param', { hasText: 'maxLength' }).locator('input').fill('1024');
    await page.getByTestId('prompt').fill(prompt);
    await expect
      .poll(() => page.evaluate(() => document.querySelector('.cm-content')!.textContent))
      .toContain('"maxLength": 1024');
    await page.getByTestId('backend').selectOption('reference:f64');
    await page.getByTestId('cache').uncheck();
    await page.getByTestId('temperature').fill('0.8');
    await page.getByTestId('maxTokens').fill('600');
    // The animation frame each change of the text came in: a page busy with a step draws no
    // frame until the step ends.
    await page.evaluate(() => {
      const w = window as unknown as { frames_: number; changes: number[] };
      w.frames_ = 0;
      w.changes = [];
      const tick = () => {
        w.frames_++;
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
      const pre = document.querySelector('[data-testid="generated"]')!;
      new MutationObserver(() => w.changes.push(w.frames_)).observe(pre, {
        childList: true,
        characterData: true,
        subtree: true,
      });
    });
    await page.getByTestId('generate').click();
    await expect
      .poll(
        () => page.evaluate(() => (window as unknown as { changes: number[] }).changes.length),
        {
          timeout: 60_000,
        },
      )
      .toBeGreaterThanOrEqual(6);
    const during = await page.evaluate(() => {
      const { changes } = window as unknown as { changes: number[] };
      const panel = document.querySelector('[data-testid="generate-panel"]') as HTMLElement;
      // Frames between consecutive tokens, from the second token on (the first follows the
      // compile and the prompt).
      const gaps = changes.slice(2).map((f, i) => f - changes[i + 1]);
      return { gaps, phase: panel.dataset.phase };
    });
    // Frames were drawn while the worker computed a token (several between two tokens), and the
    // generation was still going.
    expect(Math.max(...during.gaps)).toBeGreaterThanOrEqual(3);
    expect(during.phase).toBe('generating');
    // A click on another control is handled meanwhile, and the generation goes on.
    const before = (await page.getByTestId('generated').textContent())!.length;
    await page.getByTestId('tab-weights').click();
    await expect.poll(() => page.getByText('using seeded weights').count()).toBe(1);
    await page.getByTestId('tab-run').click();
    expect(await phase(page)).toBe('generating');
    await expect
      .poll(async () => (await page.getByTestId('generated').textContent())!.length)
      .toBeGreaterThan(before);
    expect(await page.getByTestId('generation-status').textContent()).toMatch(
      /^generating in a Web Worker on reference:f64: \d+ tokens/,
    );
    await page.screenshot({ path: join(shots, '9-generating.png') });

    await page.getByTestId('stop').click();
    expect(await finished(page, 30_000)).toBe('done');
    const stopped = (await page.getByTestId('generated').textContent())!;
    const status = (await page.getByTestId('generation-status').textContent())!;
    // The worker's own end (its stats), not the page ending the worker.
    const count = Number(/^stopped after (\d+) tokens · /.exec(status)?.[1]);
    expect(count).toBeGreaterThan(0);
    expect(count).toBeLessThan(1000);
    expect([...stopped]).toHaveLength(count);
    expect(await page.getByTestId('generation-decoder').textContent()).toContain(
      'decoder: off, the whole prefix recomputed for every token: cache: false',
    );
    // Nothing more arrives after the stop.
    await page.waitForTimeout(500);
    expect(await page.getByTestId('generated').textContent()).toBe(stopped);
    await page.screenshot({ path: join(shots, '10-stopped.png') });
  });

  test('every variant this page starts also starts and generates in the worker', async () => {
    await page.getByTestId('preset').selectOption('rnnClassifier');
    await page.getByTestId('preset').selectOption('transformerLM');
    await page.getByTestId('tab-run').click();
    await page.getByTestId('prompt').fill('the cat ');
    await page.getByTestId('temperature').fill('0');
    await page.getByTestId('maxTokens').fill('4');
    await page.getByTestId('cache').check();
    const labels = await page
      .locator('[data-testid="backend"] option:not([disabled])')
      .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(labels.length).toBeGreaterThan(4);
    const rows: {
      label: string;
      phase: string | null;
      status: string | null;
      decoder: string | null;
    }[] = [];
    for (const label of labels) {
      await page.getByTestId('backend').selectOption(label);
      await page.getByTestId('generate').click();
      rows.push({
        label,
        phase: await finished(page),
        status: await page.getByTestId('generation-status').textContent(),
        decoder: await page.getByTestId('generation-decoder').textContent(),
      });
    }
    console.log(rows.map((r) => `${r.label}: ${r.status} | ${r.decoder}`).join('\n'));
    expect(rows.filter((r) => r.phase !== 'done')).toEqual([]);
    // Every backend has a decoder and this spec decodes step by step.
    expect(rows.filter((r) => !r.decoder?.startsWith('decoder: on'))).toEqual([]);
    await page.screenshot({ path: join(shots, '11-variants.png') });
    expect(consoleErrors.filter((e) => !/favicon/.test(e))).toEqual([]);
  });
});
