// How the page creates each browser variant: from its manifest, which says what it needs (checked
// first, so that a missing WebGPU adapter is one unavailable column with the reason rather than
// failed cells) and which wasm files it loads. Every backend is imported on demand, so a backend
// whose module fails to load in the browser becomes one unavailable column, not a dead page.
import { type Backend, startVariant } from '@tessera/spec';
import { type BrowserVariant, browserEntries } from '../src/variants.ts';

const entries = new Map(browserEntries().map((e) => [e.label, e]));

/**
 * The variant's factory. scripts/build-page.ts copies the wasm files the manifests name beside the
 * page (`<dir>/`), and each backend is told their folder through its `wasmPaths` option, so that
 * nothing is fetched from a CDN.
 */
export function factory(label: BrowserVariant): () => Promise<Backend> {
  const entry = entries.get(label);
  if (entry === undefined) throw new Error(`no browser variant ${JSON.stringify(label)}`);
  return () => startVariant(entry, { assetsBase: document.baseURI });
}
