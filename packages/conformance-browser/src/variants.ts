// The backend variants the browser page can create, shared by the page and the node API so that a
// label is checked before Chromium starts.

/** Every `<backend>:<variant>` label the page knows how to create. */
export const browserVariants = [
  'reference:f64',
  'ort:wasm',
  'ort:webgpu',
  'tfjs:cpu',
  'tfjs:wasm',
  'tfjs:webgl',
  'tfjs:webgpu',
  'gpujs:cpu',
  'gpujs:webasm',
  'gpujs:webgl2',
  'gpujs:webgpu',
] as const;

export type BrowserVariant = (typeof browserVariants)[number];

/**
 * What runs when no backends are named: every variant a browser gives, except the ones that are
 * only node's paths rerun in the page (`gpujs:cpu`). A variant that cannot start in this browser
 * (WebGPU without an adapter) is kept: it shows up as an unavailable column with the reason.
 */
export const defaultBrowserBackends: readonly BrowserVariant[] = browserVariants.filter(
  (v) => v !== 'gpujs:cpu',
);

export function isBrowserVariant(label: string): label is BrowserVariant {
  return (browserVariants as readonly string[]).includes(label);
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
  return [...new Set(labels)] as BrowserVariant[];
}
