// The backend variants the browser page can create, read from the backends' manifests and shared
// by the page and the node API, so that a label is checked before Chromium starts.
import { manifest as gpujs } from '@tessera/backend-gpujs/manifest';
import { manifest as ort } from '@tessera/backend-ort/manifest';
import { manifest as reference } from '@tessera/backend-reference/manifest';
import { manifest as tfjs } from '@tessera/backend-tfjs/manifest';
import {
  type BackendPackage,
  isDefaultIn,
  type ManifestEntry,
  variantsIn,
  wasmFilesOf,
} from '@tessera/spec';

/**
 * The backends the page bundles, in the order of the report's columns: each one's manifest, and
 * its main entry imported on demand (a backend that fails to load is one unavailable column).
 */
export const browserPackages: readonly BackendPackage[] = [
  { manifest: reference, load: () => import('@tessera/backend-reference') },
  { manifest: ort, load: () => import('@tessera/backend-ort') },
  { manifest: tfjs, load: () => import('@tessera/backend-tfjs') },
  { manifest: gpujs, load: () => import('@tessera/backend-gpujs') },
];

/** A `<backend>:<variant>` label of a variant that runs in a browser. */
export type BrowserVariant = string;

/** Every variant of `packages` that runs in a browser, with its label. */
export const browserEntries = (
  packages: readonly BackendPackage[] = browserPackages,
): ManifestEntry[] => variantsIn(packages, 'browser');

/** Every `<backend>:<variant>` label the page knows how to create. */
export const browserVariants: readonly BrowserVariant[] = browserEntries().map((e) => e.label);

/**
 * What runs when no backends are named: the variants whose manifests default them in a browser (a
 * manifest leaves out one that only reruns node's code path in the page). A variant that cannot
 * start in this browser (WebGPU without an adapter) is kept: it shows up as an unavailable column
 * with the reason.
 */
export const defaultBrowserBackends: readonly BrowserVariant[] = browserEntries()
  .filter((e) => isDefaultIn(e.variant, 'browser'))
  .map((e) => e.label);

/** The wasm files the page serves for its variants (scripts/build-page.ts copies them). */
export const browserWasmFiles = (): { path: string; specifier: string }[] =>
  wasmFilesOf(browserEntries());

export function isBrowserVariant(label: string): label is BrowserVariant {
  return browserVariants.includes(label);
}

/** Splits `a,b c` into labels and refuses unknown ones with the list of known ones. */
export function parseBackendList(list: string | readonly string[]): BrowserVariant[] {
  const labels = (
    typeof list === 'string' ? list.split(/[\s,]+/) : list.flatMap((l) => l.split(/[\s,]+/))
  ).filter((l) => l !== '');
  const unknown = labels.filter((l) => !isBrowserVariant(l));
  if (unknown.length > 0) {
    throw new Error(
      `unknown browser backend ${unknown.map((l) => JSON.stringify(l)).join(', ')}; known: ${browserVariants.join(', ')}`,
    );
  }
  return [...new Set(labels)];
}
