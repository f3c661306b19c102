// What the page exposes on `window.__tessera` and what the node side reads back. Types only, shared
// by page/main.ts and src/run-browser.ts.
import type { CellResult, ConformanceReport } from '@tessera/conformance';

/** What this browser offers, probed by the page before any backend starts. */
export interface BrowserEnvironment {
  userAgent: string;
  /** The WebGL2 renderer string (SwiftShader under `--disable-gpu`), or why there is no context. */
  webgl2: string;
  /** The WebGPU adapter's vendor and architecture, or why there is none. */
  webgpu: string;
  /** True when the page is cross-origin isolated (SharedArrayBuffer, threaded wasm). */
  crossOriginIsolated: boolean;
  hardwareConcurrency: number;
}

export interface PageState {
  /** `loading` until the query is read, `running` while cells run, then `done` or `failed`. */
  state: 'loading' | 'running' | 'done' | 'failed';
  backends: string[];
  /** The rows' ids: each case's, and `<id>/decode` after a decodable one (unless `?kinds=` leaves them out). */
  caseIds: string[];
  done: number;
  total: number;
  environment?: BrowserEnvironment;
  report?: ConformanceReport;
  /** Why the page could not produce a report (bad query, an import that threw, ...). */
  error?: string;
}

/** The name of the function the node side exposes to receive progress from the page. */
export const progressBinding = '__tesseraProgress';

export type ProgressCallback = (done: number, total: number, cell: CellResult) => void;

/** A report from the browser: the conformance report plus what the browser was. */
export interface BrowserConformanceReport extends ConformanceReport {
  browser: BrowserEnvironment & {
    /** Chromium's version as Playwright reports it. */
    version: string;
    /** Console errors and uncaught exceptions of the page, in order. */
    consoleErrors: string[];
    /** Paths the page asked the server for that do not exist in the build (a missing wasm file). */
    missingFiles: string[];
  };
}
