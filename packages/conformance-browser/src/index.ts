// @tessera/conformance-browser: the conformance catalogue run in headless Chromium.

export type { BrowserConformanceReport, BrowserEnvironment, ProgressCallback } from './protocol.js';
export {
  type BrowserRunOptions,
  chromiumArgs,
  defaultChromium,
  defaultPageDir,
  runBrowserConformance,
} from './run-browser.js';
export { caseMatcher, parseKinds } from './select.js';
export { type StaticServer, serveStatic } from './serve.js';
export {
  type BrowserVariant,
  browserEntries,
  browserPackages,
  browserVariants,
  defaultBrowserBackends,
  isBrowserVariant,
  parseBackendList,
} from './variants.js';
