// The node side: serve the built page, drive headless Chromium to it with Playwright, forward its
// progress and console errors, and return the report it leaves on window.__tessera.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CellKind, CellResult } from '@tessera/conformance';
import { chromium } from 'playwright-core';
import { chromiumArgs, defaultChromium } from './chromium.js';
import {
  type BrowserConformanceReport,
  type PageState,
  type ProgressCallback,
  progressBinding,
} from './protocol.js';
import { parseKinds } from './select.js';
import { serveStatic } from './serve.js';
import { defaultBrowserBackends, parseBackendList } from './variants.js';

export { chromiumArgs, defaultChromium };

/** src/ and dist/ both sit one level below the package root. */
export const defaultPageDir = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'dist',
  'page',
);

export interface BrowserRunOptions {
  /** `<backend>:<variant>` labels (src/variants.ts); defaultBrowserBackends when absent. */
  backends?: readonly string[];
  /** Comma-separated case id globs (`linear/*,relu`); the whole catalogue when absent. */
  cases?: string;
  /** The kinds of cell: `run`, and `decode` for every decodable case; both when absent. */
  kinds?: readonly CellKind[];
  /** Chromium to launch; `TESSERA_CHROMIUM` or /usr/bin/chromium by default. */
  executablePath?: string;
  /** true by default; false needs a display. */
  headless?: boolean;
  /** The whole run, from launch to report: a guard against a hung page; an hour by default (the full matrix takes over 15 minutes on a loaded 2-core machine). */
  timeoutMs?: number;
  /** Turn a cell whose compile or run takes longer than this into an error. */
  cellTimeoutMs?: number;
  /** A variant that takes longer than this to start is unavailable; 60 s by default. */
  startTimeoutMs?: number;
  onProgress?: ProgressCallback;
  /** Page console errors and uncaught exceptions; written to stderr when absent. */
  onConsoleError?: (text: string) => void;
  /** The built page; dist/page of this package by default. */
  pageDir?: string;
  /** Serve the page cross-origin isolated (threaded wasm builds); false by default. */
  crossOriginIsolated?: boolean;
  /**
   * Launch with `--enable-unsafe-webgpu` (true by default). Without it this Chromium has
   * navigator.gpu but no adapter under --disable-gpu; with it, Dawn gives a software adapter and the
   * webgpu variants run.
   */
  webgpu?: boolean;
  /** More Chromium flags, after the ones above. */
  extraArgs?: readonly string[];
}

function pageUrl(base: string, backends: readonly string[], o: BrowserRunOptions): string {
  const url = new URL('index.html', base);
  url.searchParams.set('backends', backends.join(','));
  if (o.cases !== undefined && o.cases !== '') url.searchParams.set('cases', o.cases);
  if (o.kinds !== undefined) url.searchParams.set('kinds', o.kinds.join(','));
  if (o.cellTimeoutMs !== undefined) url.searchParams.set('cellTimeoutMs', String(o.cellTimeoutMs));
  if (o.startTimeoutMs !== undefined)
    url.searchParams.set('startTimeoutMs', String(o.startTimeoutMs));
  return url.href;
}

// Expressions evaluated in the page (strings: a closure over node code would not travel there).
const finished = "['done', 'failed'].includes(window.__tessera?.state)";
const readState = 'window.__tessera';

/** Runs the conformance catalogue in headless Chromium and returns its report. */
export async function runBrowserConformance(
  options: BrowserRunOptions = {},
): Promise<BrowserConformanceReport> {
  // Checked here, before a browser starts, so that a typo costs nothing.
  const backends = options.backends
    ? parseBackendList(options.backends)
    : [...defaultBrowserBackends];
  if (backends.length === 0) throw new Error('no backend to run');
  if (options.kinds !== undefined) {
    parseKinds(options.kinds.join(','));
    if (options.kinds.length === 0) throw new Error('no kind of cell to run');
  }
  const pageDir = options.pageDir ?? defaultPageDir;
  if (!existsSync(join(pageDir, 'index.html'))) {
    throw new Error(
      `the conformance page is not built (${pageDir}/index.html is missing): run \`pnpm --filter @tessera/conformance-browser build\``,
    );
  }
  const executablePath = options.executablePath ?? process.env.TESSERA_CHROMIUM ?? defaultChromium;
  if (!existsSync(executablePath))
    throw new Error(
      `no Chromium at ${executablePath} (apt-get install -y chromium, or pass executablePath)`,
    );
  // A guard against a page that hangs, not a speed target: the whole matrix (5,560 cells over
  // ten variants, WebGPU on SwiftShader) takes over 15 minutes on a loaded 2-core machine; each
  // cell has its own timeout besides.
  const timeoutMs = options.timeoutMs ?? 3_600_000;
  const deadline = Date.now() + timeoutMs;
  const consoleErrors: string[] = [];
  const onConsoleError =
    options.onConsoleError ?? ((text: string) => process.stderr.write(`[chromium] ${text}\n`));
  const noteError = (text: string) => {
    consoleErrors.push(text);
    onConsoleError(text);
  };

  const server = await serveStatic(pageDir, {
    crossOriginIsolated: options.crossOriginIsolated ?? false,
  });
  // A fresh profile each run: nothing cached from an earlier build of the page.
  const profile = await mkdtemp(join(tmpdir(), 'tessera-chromium-'));
  try {
    const headless = options.headless ?? true;
    const args = [
      ...(headless ? ['--headless'] : []),
      ...chromiumArgs,
      ...((options.webgpu ?? true) ? ['--enable-unsafe-webgpu'] : []),
      ...(options.extraArgs ?? []),
    ];
    const context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless,
      args,
      timeout: Math.max(1, deadline - Date.now()),
    });
    try {
      const version = context.browser()?.version() ?? '';
      const page = context.pages()[0] ?? (await context.newPage());
      page.on('console', (m) => {
        if (m.type() === 'error') noteError(m.text());
      });
      page.on('pageerror', (e) => noteError(`uncaught: ${e.stack ?? e.message}`));
      // A crashed page never finishes: stop waiting at once rather than at the deadline.
      const crashed = new Promise<never>((_, reject) =>
        page.once('crash', () => reject(new Error('the page crashed (out of memory?)'))),
      );
      crashed.catch(() => {});
      let progressSeen = 0;
      await page.exposeFunction(
        progressBinding,
        (done: number, total: number, cell: CellResult) => {
          progressSeen = done;
          options.onProgress?.(done, total, cell);
        },
      );
      await page.goto(pageUrl(server.url, backends, options), {
        timeout: Math.max(1, deadline - Date.now()),
      });
      try {
        await Promise.race([
          page.waitForFunction(finished, undefined, {
            timeout: Math.max(1, deadline - Date.now()),
            polling: 250,
          }),
          crashed,
        ]);
      } catch (e) {
        // After a crash the page cannot be asked where it was; the progress seen so far says it.
        const s = await page.evaluate<PageState | undefined>(readState).catch(() => undefined);
        const where = s
          ? `: ${s.state}, ${s.done}/${s.total} cells done`
          : `: ${progressSeen} cells done`;
        const what =
          e instanceof Error && e.message.startsWith('the page crashed')
            ? e.message
            : `did not finish within ${timeoutMs} ms`;
        throw new Error(
          `the browser run ${what}${where}${consoleErrors.length ? `; console errors: ${consoleErrors.join(' | ')}` : ''}`,
          { cause: e },
        );
      }
      // Playwright's evaluate keeps Infinity and NaN (the max errors of a non-finite output).
      const state = await page.evaluate<PageState>(readState);
      if (
        state.state === 'failed' ||
        state.report === undefined ||
        state.environment === undefined
      ) {
        throw new Error(
          `the conformance page failed: ${state.error ?? 'no report'}${consoleErrors.length ? `; console errors: ${consoleErrors.join(' | ')}` : ''}`,
        );
      }
      return {
        ...state.report,
        browser: {
          ...state.environment,
          version,
          consoleErrors,
          missingFiles: [...server.missing],
        },
      };
    } finally {
      await context.close();
    }
  } finally {
    await server.close();
    await rm(profile, { recursive: true, force: true });
  }
}
