// The backend variants a browser may start, from the backends' manifests: each checked for what
// it needs (a WebGPU adapter, a WebGL context) and imported only when it is asked for, so a
// backend that cannot load here greys out with its reason instead of breaking the page.
import { type Backend, startVariant } from '@tessera/spec';
import { browserEntries } from './manifests';

export interface BackendOption {
  label: string;
  create: () => Promise<Backend>;
}

/**
 * Every variant that runs in a browser. vite.config.ts serves the wasm files the manifests name
 * beside the page (`<dir>/`); a variant that needs them is told that folder as its `wasmPaths`.
 */
export const backendOptions: BackendOption[] = browserEntries().map((entry) => ({
  label: entry.label,
  create: () => startVariant(entry, { assetsBase: document.baseURI }),
}));

export type Availability = { label: string; backend: Backend } | { label: string; reason: string };

const cache = new Map<string, Promise<Availability>>();

/** Starts a variant once per page; a failure becomes the reason shown next to it. */
export function probe(option: BackendOption): Promise<Availability> {
  let p = cache.get(option.label);
  if (p === undefined) {
    p = option
      .create()
      .then((backend): Availability => ({ label: option.label, backend }))
      .catch(
        (e: unknown): Availability => ({
          label: option.label,
          reason: e instanceof Error ? e.message : String(e),
        }),
      );
    cache.set(option.label, p);
  }
  return p;
}
