// @vitest-environment node
// End to end against the built app served on 127.0.0.1, in Debian's Chromium driven by
// playwright-core: load a preset, break the spec and see it underlined, fix it, run on two
// backends, see the comparison pass, generate text (in a Web Worker: streamed, stoppable, the page
// responsive meanwhile, the text @tessera/lm gives in node); then the variants and their reasons,
// nothing stale, Run's reason on an invalid spec, the weights panel, shared links, preset fields,
// the editor's completion, hover, line:column errors and problems list, the graph (pixels: edges
// and skip connections drawn; pan, zoom, details, jump to JSON), the conformance worker (progress,
// ETA, cancel, the grid's colours), heatmaps (pixels), a 900 px wide window, and a console free of
// errors and repeated warnings. Screenshots of each step go to test-output/screenshots/.
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createBackend as createReference } from '@tessera/backend-reference';
import { cellStatuses } from '@tessera/conformance';
import { chromiumArgs, defaultChromium } from '@tessera/conformance-browser';
import { generate, lmOptionsOf } from '@tessera/lm';
import {
  buildPreset,
  initWeights,
  parseSpec,
  presetParameters,
  writeSafetensors,
} from '@tessera/spec';
import { decode } from 'fast-png';
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

/** The screenshot's pixels as [r, g, b] triples. */
function pixelsOf(png: Buffer): { width: number; height: number; rgb: (i: number) => number[] } {
  const img = decode(png);
  const c = img.channels;
  return {
    width: img.width,
    height: img.height,
    rgb: (i) => [img.data[i * c], img.data[i * c + 1], img.data[i * c + 2]],
  };
}

/** How many pixels of the picture `near` accepts. */
function countPixels(png: Buffer, near: (r: number, g: number, b: number) => boolean): number {
  const p = pixelsOf(png);
  let n = 0;
  for (let i = 0; i < p.width * p.height; i++) {
    const [r, g, b] = p.rgb(i);
    if (near(r, g, b)) n++;
  }
  return n;
}

/** Within `tol` of a colour on each channel. */
const close =
  (want: [number, number, number], tol = 40) =>
  (r: number, g: number, b: number) =>
    Math.abs(r - want[0]) <= tol && Math.abs(g - want[1]) <= tol && Math.abs(b - want[2]) <= tol;

/** The editor's document and selection. */
function editorState(page: Page): Promise<{ doc: string; from: number; to: number }> {
  return page.evaluate(() => {
    const view = (
      document.querySelector('[data-testid="editor"]') as unknown as {
        editorView: {
          state: { doc: { toString(): string }; selection: { main: { from: number; to: number } } };
        };
      }
    ).editorView;
    const { from, to } = view.state.selection.main;
    return { doc: view.state.doc.toString(), from, to };
  });
}

/** Puts the editor's cursor at the end of the first `marker` in the document. */
async function cursorAfter(page: Page, marker: string): Promise<void> {
  await page.evaluate((m) => {
    const view = (
      document.querySelector('[data-testid="editor"]') as unknown as {
        editorView: {
          state: { doc: { toString(): string } };
          dispatch(t: unknown): void;
          focus(): void;
        };
      }
    ).editorView;
    const at = view.state.doc.toString().indexOf(m) + m.length;
    view.dispatch({ selection: { anchor: at } });
    view.focus();
  }, marker);
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
      if (at < 0) throw new Error(`the editor has no ${JSON.stringify(a)}`);
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
  const warnings: string[] = [];
  const wasmResponses: { url: string; type: string | null }[] = [];

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
        // As the browser conformance runner launches it: WebGPU on Dawn's software adapter, so
        // the webgpu variants start here too.
        args: ['--headless', ...chromiumArgs, '--enable-unsafe-webgpu'],
      },
    );
    page = browser.pages()[0] ?? (await browser.newPage());
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
      if (m.type() === 'warning') warnings.push(m.text());
    });
    page.on('response', (r) => {
      if (r.url().endsWith('.wasm'))
        wasmResponses.push({ url: r.url(), type: r.headers()['content-type'] ?? null });
    });
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
    // The WebGPU variants run the preset too, and agree with the reference.
    expect(byLabel['tfjs:webgpu']).toBe('pass');
    expect(byLabel['ort:webgpu']).toBe('pass');
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
    // The first WebGL variant once more at the end, after the others have made their contexts in
    // the worker (src/lib/worker-lanes.ts: a WebGL variant gets a worker of its own).
    const webgl = labels.find((l) => /webgl/.test(l));
    expect(webgl).toBeDefined();
    for (const label of [...labels, webgl!]) {
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
  test('every variant starts here or says why in plain words; the wasm files are wasm', async () => {
    await expect
      .poll(() => page.locator('[data-testid="backend"] option:has-text("starting")').count(), {
        timeout: 60_000,
      })
      .toBe(0);
    const options = await page.locator('[data-testid="backend"] option').evaluateAll((os) =>
      os.map((o) => ({
        label: (o as HTMLOptionElement).value,
        off: (o as HTMLOptionElement).disabled,
      })),
    );
    const on = options.filter((o) => !o.off).map((o) => o.label);
    console.log(`variants started: ${on.join(', ')}`);
    // tfjs:wasm needs its .wasm files served beside the page (they once came back as index.html).
    expect(on).toContain('tfjs:wasm');
    expect(on).toContain('ort:wasm');
    // With --enable-unsafe-webgpu (above) both WebGPU variants start.
    expect(on).toContain('ort:webgpu');
    expect(on).toContain('tfjs:webgpu');
    for (const r of wasmResponses) expect(r.type, r.url).toBe('application/wasm');
    // Whatever cannot start is listed with a reason without API names.
    const off = options.filter((o) => o.off);
    if (off.length > 0) {
      const reasons = (await page.getByTestId('unavailable').locator('li').allTextContents()).join(
        '\n',
      );
      console.log(`unavailable:\n${reasons}`);
      for (const o of off) expect(reasons).toContain(o.label);
      expect(reasons).not.toMatch(/navigator\.gpu|getContext|requestAdapter/);
    }
    // The menu fits its column.
    const select = await page.getByTestId('backend').boundingBox();
    expect(select!.width).toBeLessThanOrEqual(16 * 14 + 1);
  });

  test('results are cleared when the spec, preset or backend changes', async () => {
    await page.getByTestId('preset').selectOption('transformerLM');
    await page.getByTestId('tab-run').click();
    await page.getByTestId('backend').selectOption('reference:f64');
    await page.getByTestId('maxTokens').fill('4');
    await page.getByTestId('generate').click();
    expect(await finished(page)).toBe('done');
    await page.getByTestId('run').click();
    await page.getByTestId('heatmaps').waitFor({ timeout: 60_000 });
    // A change of backend clears the run's outputs (they were another variant's).
    await page.getByTestId('backend').selectOption('tfjs:cpu');
    expect(await page.getByTestId('result').count()).toBe(0);
    await page.getByTestId('run').click();
    await page.getByTestId('result').waitFor({ timeout: 60_000 });
    // A change of preset clears outputs, heatmaps and the generated text.
    await page.getByTestId('preset').selectOption('rnnClassifier');
    expect(await page.getByTestId('result').count()).toBe(0);
    expect(await page.getByTestId('heatmaps').count()).toBe(0);
    await page.getByTestId('preset').selectOption('transformerLM');
    expect(await page.getByTestId('generated').textContent()).toBe('');
    // So does an edit of the spec.
    await page.getByTestId('run').click();
    await page.getByTestId('result').waitFor({ timeout: 60_000 });
    await replaceInEditor(page, '"name": "', '"name": "x');
    await expect.poll(() => page.getByTestId('result').count()).toBe(0);
  });

  test('Run on an invalid spec is disabled and says why', async () => {
    await page.getByTestId('preset').selectOption('rnnClassifier');
    await replaceInEditor(page, '"inFeatures": 16', '"inFeatures": 17');
    await expect.poll(() => page.getByTestId('run').isDisabled()).toBe(true);
    expect(await page.getByTestId('run-blocker').textContent()).toBe(
      'the spec has 1 problem (listed under the editor): fix it to run',
    );
    await page.screenshot({ path: join(shots, '12-run-blocked.png') });
    await replaceInEditor(page, '"inFeatures": 17', '"inFeatures": 16');
    await expect.poll(() => page.getByTestId('run').isDisabled()).toBe(false);
  });

  test('the weights panel says which weights are used, also after they stop fitting', async () => {
    await page.getByTestId('preset').selectOption('rnnClassifier');
    const spec = parseSpec(buildPreset('rnnClassifier', presetParameters.rnnClassifier));
    const file = join(mkdtempSync(join(tmpdir(), 'tessera-weights-')), 'rnn.safetensors');
    writeFileSync(file, writeSafetensors(initWeights(spec, 7)));
    await page.getByTestId('tab-weights').click();
    await page.getByTestId('weights-file').setInputFiles(file);
    await expect
      .poll(() => page.getByTestId('weights-source').textContent())
      .toBe('using rnn.safetensors');
    // A wider hidden layer: the file no longer fits, and the panel says seeded weights are used.
    await page.getByTestId('param-hiddenSize').fill('24');
    await expect
      .poll(() => page.getByTestId('weights-source').textContent())
      .toBe('using seeded weights (seed 0): rnn.safetensors does not fit this spec');
    expect(await page.getByTestId('weights-unused').textContent()).toContain('rnn.weight_ih_l0');
    await page.screenshot({ path: join(shots, '13-weights.png') });
    await page.getByTestId('param-hiddenSize').fill('16');
    await expect
      .poll(() => page.getByTestId('weights-source').textContent())
      .toBe('using rnn.safetensors');
  });

  test('preset fields are checked where they are typed', async () => {
    await page.getByTestId('preset').selectOption('transformerLM');
    const before = (await editorState(page)).doc;
    await page.getByTestId('param-dModel').fill('abc');
    await expect
      .poll(() => page.getByTestId('param-dModel-problem').textContent())
      .toBe('a number > 0');
    await page.getByTestId('param-dModel').fill('30');
    // 30 is not a multiple of nhead 4: the preset's own check, at the field.
    await expect
      .poll(() => page.getByTestId('param-dModel-problem').textContent())
      .toContain('these values make no valid transformerLM');
    expect(await page.getByTestId('preset-stale').count()).toBe(1);
    expect((await editorState(page)).doc).toBe(before);
    await page.getByTestId('param-dModel').fill('48');
    await expect.poll(() => page.getByTestId('param-dModel-problem').count()).toBe(0);
    expect((await editorState(page)).doc).toContain('"dModel": 48');
  });

  test('a shared link restores the spec, the preset with its fields, and the backend', async () => {
    await page.getByTestId('preset').selectOption('cnnClassifier');
    await page.getByTestId('param-numClasses').fill('7');
    await page.getByTestId('backend').selectOption('tfjs:cpu');
    await replaceInEditor(page, '"name": "', '"name": "shared-');
    await expect.poll(() => page.url()).toContain('backend=tfjs');
    await page.waitForTimeout(400);
    const url = page.url();
    const want = (await editorState(page)).doc;
    const other = await browser.newPage();
    try {
      await other.goto(url);
      await other.getByTestId('graph').waitFor();
      expect(await other.getByTestId('preset').inputValue()).toBe('cnnClassifier');
      expect(await other.getByTestId('param-numClasses').inputValue()).toBe('7');
      expect(await other.getByTestId('backend').inputValue()).toBe('tfjs:cpu');
      expect((await editorState(other)).doc).toBe(want);
    } finally {
      await other.close();
    }
  });

  test('completion offers every op and each op its attributes; hover explains', async () => {
    await page.getByTestId('preset').selectOption('rnnClassifier');
    // An op's value: every op of the schema.
    await replaceInEditor(page, '"op": "select"', '"op": ""');
    await cursorAfter(page, '"op": "');
    await page.keyboard.press('Control+Space');
    const options = page.locator('.cm-tooltip-autocomplete li');
    await expect.poll(() => options.count()).toBeGreaterThanOrEqual(40);
    const ops = await options.allTextContents();
    for (const op of ['linear', 'transformerEncoderLayer', 'conv2d', 'rnn', 'attention'])
      expect(ops.some((o) => o.startsWith(op))).toBe(true);
    await page.screenshot({ path: join(shots, '14-complete-op.png') });
    await page.keyboard.press('Escape');
    // A fresh document for the next part, whatever the menu did.
    await page.getByTestId('preset').selectOption('charRnnLM');
    await page.getByTestId('preset').selectOption('rnnClassifier');
    // The attributes of the node's op.
    await replaceInEditor(page, '"op": "linear",', '"op": "linear", "",');
    await cursorAfter(page, '"op": "linear", "');
    await page.keyboard.press('Control+Space');
    await expect
      .poll(async () => (await options.allTextContents()).join(' '))
      .toMatch(/outFeatures|bias|tiedTo/);
    await page.keyboard.press('Escape');
    await replaceInEditor(page, '"op": "linear", "",', '"op": "linear",');
    await expect.poll(() => page.getByTestId('problems').textContent()).toContain('spec ok');
    // Hover over an attribute: its type and bounds (and its description once the schema has one).
    const at = await page.evaluate(() => {
      const view = (
        document.querySelector('[data-testid="editor"]') as unknown as {
          editorView: {
            state: { doc: { toString(): string } };
            coordsAtPos(pos: number): { left: number; top: number; bottom: number } | null;
          };
        }
      ).editorView;
      const c = view.coordsAtPos(view.state.doc.toString().indexOf('"hiddenSize"') + 4)!;
      return { x: c.left, y: (c.top + c.bottom) / 2 };
    });
    await page.mouse.move(at.x, at.y);
    await page.locator('.cm6-json-schema-hover').waitFor({ timeout: 10_000 });
    expect(await page.locator('.cm6-json-schema-hover').textContent()).toContain('integer, ≥ 1');
    await page.screenshot({ path: join(shots, '15-hover.png') });
    await page.mouse.move(0, 0);
  });

  test('JSON errors at line and column; a problem clicked is selected in the editor', async () => {
    // Another preset first: choosing the one already chosen would keep an edited document.
    await page.getByTestId('preset').selectOption('cnnClassifier');
    await page.getByTestId('preset').selectOption('rnnClassifier');
    const doc = (await editorState(page)).doc;
    await replaceInEditor(page, '"numLayers": 1,', '"numLayers": 1,,');
    const broken = doc.replace('"numLayers": 1,', '"numLayers": 1,,');
    const at = broken.indexOf(',,') + 1;
    const line = broken.slice(0, at).split('\n').length;
    const column = at - broken.lastIndexOf('\n', at - 1);
    await expect
      .poll(() => page.getByTestId('problems').textContent())
      .toContain(`JSON syntax at line ${line}, column ${column}`);
    await replaceInEditor(page, '"numLayers": 1,,', '"numLayers": 1,');
    // The fixed spec settles (its graph redrawn) before the next edits.
    await expect.poll(() => page.getByTestId('problems').textContent()).toBe('spec ok');
    // Two problems; the second one clicked is selected.
    // Both edits in one transaction (two dispatched within one React render could race).
    await replaceInEditor(
      page,
      (await editorState(page)).doc,
      (await editorState(page)).doc
        .replace('"hiddenSize": 16', '"hiddenSize": 0')
        .replace('"outFeatures": 4', '"outFeatures": 0'),
    );
    await expect
      .poll(() => page.getByTestId('problems').textContent(), { timeout: 10_000 })
      .toMatch(/nodes\[0\]\.hiddenSize.*nodes\[2\]\.outFeatures/);
    await expect.poll(() => page.getByTestId('problem').count(), { timeout: 10_000 }).toBe(2);
    const problem = page.getByTestId('problem').filter({ hasText: 'nodes[2].outFeatures' });
    expect(await problem.textContent()).toMatch(/^\d+:\d+ nodes\[2\]\.outFeatures: /);
    await problem.click();
    const st = await editorState(page);
    expect(st.doc.slice(st.from, st.to)).toBe('"outFeatures": 0');
    await page.screenshot({ path: join(shots, '16-problems.png') });
    await page.getByTestId('preset').selectOption('transformerLM');
  });

  test('the graph: a layered layout with skip connections drawn, pan and zoom, details, jump to JSON', async () => {
    await page.getByTestId('preset').selectOption('resnetTiny');
    const graph = page.getByTestId('graph');
    await expect.poll(() => graph.getAttribute('data-skips')).not.toBe('0');
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBeGreaterThan(10);
    await page.waitForTimeout(300);
    const png = await graph.screenshot({ path: join(shots, '17-graph.png') });
    // Plain edges (grey #6b7280) and skip connections (magenta #d946ef) are drawn.
    expect(countPixels(png, close([0x6b, 0x72, 0x80], 30))).toBeGreaterThan(200);
    expect(countPixels(png, close([0xd9, 0x46, 0xef], 40))).toBeGreaterThan(100);
    // Boxes laid out in more than one column somewhere (a skip goes beside the main path).
    const xs = await page
      .locator('.react-flow__node')
      .evaluateAll((ns) => ns.map((n) => (n as HTMLElement).style.transform));
    expect(new Set(xs.map((t) => /translate\(([-\d.]+)px/.exec(t)?.[1])).size).toBeGreaterThan(1);
    // Zoom in with the control; the viewport's scale grows.
    const scale = () =>
      page
        .locator('.react-flow__viewport')
        .evaluate((v) => Number(/scale\(([\d.]+)\)/.exec((v as HTMLElement).style.transform)?.[1]));
    const s0 = await scale();
    await page.locator('.react-flow__controls-zoomin').click();
    await expect.poll(scale).toBeGreaterThan(s0);
    // A click on a box shows its shapes and weights, and its JSON in the editor.
    const conv = page.locator('.react-flow__node', { hasText: 'conv2d' }).first();
    await conv.click();
    const details = page.getByTestId('node-details');
    await details.waitFor();
    expect(await details.textContent()).toMatch(/weight.*\.weight \[\d+, \d+, 3, 3\]/);
    expect(await page.getByTestId('node-output').textContent()).toMatch(/^float32 \[/);
    const id = ((await details.locator('header b').textContent()) ?? '').split(':')[0];
    await page.getByTestId('show-json').click();
    const st = await editorState(page);
    expect(st.doc.slice(st.from, st.to)).toMatch(new RegExp(`^\\{\\s*"id": "${id}"`));
    await page.screenshot({ path: join(shots, '18-graph-details.png') });
  });

  test('heatmaps: token labels, a colour scale and tooltips', async () => {
    await page.getByTestId('preset').selectOption('transformerLM');
    await page.getByTestId('tab-run').click();
    await page.getByTestId('backend').selectOption('reference:f64');
    await page.getByTestId('prompt').fill('the cat ');
    await page.getByTestId('run').click();
    const map = page.getByTestId('heatmap').first();
    await map.waitFor({ timeout: 60_000 });
    const labels = await map.locator('.heat-query').allTextContents();
    expect(labels).toEqual(['t', 'h', 'e', '␣', 'c', 'a', 't', '␣']);
    expect(await map.locator('.heat-scale text').allTextContents()).toEqual([
      '0',
      '0.25',
      '0.5',
      '0.75',
      '1',
    ]);
    expect(await map.locator('rect title').first().textContent()).toMatch(
      /^query 0 "t" → key 0 "t": 1\.000$/,
    );
    const png = await map.screenshot({ path: join(shots, '19-heatmap.png') });
    // Causal attention: the first query sees only itself (deep blue), and cells above the
    // diagonal are white; both appear in the picture.
    expect(countPixels(png, close([30, 64, 175], 25))).toBeGreaterThan(50);
    expect(countPixels(png, close([255, 255, 255], 3))).toBeGreaterThan(500);
    // Shades between: more than a handful of distinct blues.
    const shades = new Set<string>();
    const p = pixelsOf(png);
    for (let i = 0; i < p.width * p.height; i++) {
      const [r, g, b] = p.rgb(i);
      if (b > r + 20) shades.add(`${r},${g},${b}`);
    }
    expect(shades.size).toBeGreaterThan(10);
  });

  test('at 900 px wide: nothing overflows, the results are above the fold', async () => {
    await page.setViewportSize({ width: 900, height: 800 });
    try {
      await page.getByTestId('run').click();
      await page.getByTestId('result').waitFor({ timeout: 60_000 });
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width).toBeLessThanOrEqual(900);
      const right = await page.locator('.right').boundingBox();
      for (const id of ['backend', 'run', 'result']) {
        const b = await page.getByTestId(id).boundingBox();
        expect(b!.x + Math.min(b!.width, 100)).toBeLessThanOrEqual(right!.x + right!.width);
        expect(b!.y, id).toBeLessThan(800);
      }
      await page.screenshot({ path: join(shots, '20-900px.png') });
    } finally {
      await page.setViewportSize({ width: 1400, height: 900 });
    }
  });

  test('conformance in a worker: progress with the time left, cancel, a coloured grid', async () => {
    await page.getByTestId('tab-conformance').click();
    const panel = page.getByTestId('conformance-panel');
    // Cancel part-way: the worker ends, the cells so far stay.
    await page.getByTestId('conformance').click();
    await expect
      .poll(() => page.getByTestId('conformance-status').textContent(), { timeout: 120_000 })
      .toMatch(/^\d+ \/ \d+ cells · about .+ left$/);
    // Enough cells for every variant's column to have some.
    await expect
      .poll(
        () =>
          page
            .getByTestId('conformance-progress')
            .evaluate((p) => (p as HTMLProgressElement).value),
        {
          timeout: 120_000,
        },
      )
      .toBeGreaterThan(150);
    const progress = await page.getByTestId('conformance-progress').evaluate((p) => ({
      value: (p as HTMLProgressElement).value,
      max: (p as HTMLProgressElement).max,
    }));
    expect(progress.value).toBeGreaterThan(0);
    expect(progress.max).toBeGreaterThan(1000);
    // The page answers meanwhile: the run is in workers, so the page thread still draws frames
    // (how soon is the machine's load, not the page's: no time is asserted).
    const framesDrawn = await page.evaluate(
      () =>
        new Promise<number>((r) => {
          let n = 0;
          const tick = () => (++n === 3 ? r(n) : requestAnimationFrame(tick));
          requestAnimationFrame(tick);
        }),
    );
    expect(framesDrawn).toBe(3);
    await page.getByTestId('conformance-cancel').click();
    expect(await panel.getAttribute('data-phase')).toBe('cancelled');
    const cancelledAt = await page.getByTestId('conformance-status').textContent();
    await page.waitForTimeout(1000);
    expect(await page.getByTestId('conformance-status').textContent()).toBe(cancelledAt);
    const grid = page.getByTestId('conformance-grid');
    const png = await page
      .locator('.grid-wrap')
      .screenshot({ path: join(shots, '21-conformance.png') });
    // Green pass cells in the grid.
    expect(countPixels(png, close([0x16, 0xa3, 0x4a], 30))).toBeGreaterThan(200);
    expect(await grid.locator('td.cell.pass').count()).toBeGreaterThan(10);
    expect(await grid.locator('td.cell.fail').count()).toBe(0);
  }, 300_000); // Its two polls may take up to 120 s each on a loaded machine.

  // The whole catalogue takes minutes here (2 cores): run with TESSERA_E2E_FULL=1.
  test.runIf(process.env.TESSERA_E2E_FULL === '1')(
    'conformance in a worker: the whole catalogue, its grid agreeing with its report',
    async () => {
      await page.getByTestId('tab-conformance').click();
      const panel = page.getByTestId('conformance-panel');
      await page.getByTestId('conformance').click();
      await expect
        .poll(() => panel.getAttribute('data-phase'), { timeout: 900_000, interval: 2000 })
        .toBe('done');
      const status = await page.getByTestId('conformance-status').textContent();
      const grid = page.getByTestId('conformance-grid');
      const counts: Record<string, number> = {};
      for (const st of cellStatuses) counts[st] = await grid.locator(`td.cell.${st}`).count();
      console.log(`conformance: ${status}; grid ${JSON.stringify(counts)}`);
      expect(await grid.locator('td.cell.pending').count()).toBe(0);
      const legend = await page.locator('.legend').textContent();
      for (const [st, n] of Object.entries(counts)) expect(legend).toContain(`${st} ${n}`);
      expect(counts.fail + counts.error + counts['unexpected-pass']).toBe(0);
      await page.locator('.grid-wrap').screenshot({ path: join(shots, '22-conformance-done.png') });
    },
    960_000,
  );

  test('the console has no errors and no repeated warnings', () => {
    expect(consoleErrors.filter((e) => !/favicon/.test(e))).toEqual([]);
    const seen = new Map<string, number>();
    // SwiftShader's note that reading a WebGL result back (readPixels, how every WebGL backend
    // returns its outputs) stalls: once per WebGL context, and the page, the generation worker
    // and the conformance worker each hold one. Nothing the page can change.
    const driverNote = /GL Driver Message \(OpenGL, Performance, .*\): GPU stall due to ReadPixels/;
    for (const w of warnings.filter((x) => !driverNote.test(x)))
      seen.set(w, (seen.get(w) ?? 0) + 1);
    console.log(`warnings:\n${[...seen].map(([w, n]) => `${n}× ${w}`).join('\n')}`);
    const repeated = [...seen].filter(([, n]) => n > 1);
    expect(repeated).toEqual([]);
    expect(warnings.filter((w) => /Too many active WebGL contexts/.test(w))).toEqual([]);
    // backend-ort asks for one wasm thread where the page is not cross-origin isolated.
    expect(warnings.filter((w) => /numThreads|multi-threading/.test(w))).toEqual([]);
  });
});
