// The backend variants a browser may start, from the backends' manifests: each checked for what
// it needs (a WebGPU adapter, a WebGL context) and imported only when it is asked for, so a
// backend that cannot load here greys out with its reason, in plain words, instead of breaking
// the page.
import {
  type Backend,
  type ManifestEntry,
  startVariant,
  unmetNeed,
  type VariantNeeds,
} from '@tessera/spec';
import { browserEntries } from './manifests';

export interface BackendOption {
  label: string;
  entry: ManifestEntry;
  create: () => Promise<Backend>;
}

/**
 * Every variant that runs in a browser. vite.config.ts serves the wasm files the manifests name
 * beside the page (`<dir>/`); a variant that needs them is told that folder as its `wasmPaths`.
 */
export const backendOptions: BackendOption[] = browserEntries().map((entry) => ({
  label: entry.label,
  entry,
  create: () => startVariant(entry, { assetsBase: document.baseURI }),
}));

export type Availability =
  | { label: string; backend: Backend }
  /** `reason`: in plain words; `detail`: what the check or the backend said. */
  | { label: string; reason: string; detail: string };

export function isAvailable(a: Availability): a is Extract<Availability, { backend: Backend }> {
  return 'backend' in a;
}

/** Each need checked once per page (a WebGPU check that finds no adapter logs a warning). */
const needChecks = new Map<string, Promise<string | undefined>>();

function checkOnce(key: string, needs: VariantNeeds): Promise<string | undefined> {
  let p = needChecks.get(key);
  if (p === undefined) {
    p = unmetNeed(needs);
    needChecks.set(key, p);
  }
  return p;
}

/**
 * The first of the variant's needs this browser does not meet, in words a person can act on
 * (`detail`: what the check said), or undefined when it meets them all.
 */
export async function unmetInWords(
  needs: VariantNeeds = {},
): Promise<{ reason: string; detail: string } | undefined> {
  if (needs.webgpuAdapter) {
    const detail = await checkOnce('webgpu', { webgpuAdapter: true });
    if (detail !== undefined)
      return {
        reason: 'this browser offers no WebGPU here (it is off, or there is no GPU it may use)',
        detail,
      };
  }
  if (needs.webgl !== undefined) {
    const detail = await checkOnce(`webgl${needs.webgl}`, { webgl: needs.webgl });
    if (detail !== undefined)
      return {
        reason: `this browser gives no WebGL${needs.webgl === 2 ? ' 2' : ''} context here (hardware acceleration is off, or there is no GPU)`,
        detail,
      };
  }
  return undefined;
}

const cache = new Map<string, Promise<Availability>>();

/**
 * The starts so far, chained: variants start one at a time. Two variants of one library may
 * share its global state: tfjs has one active backend, and its setBackend("wasm") answers false
 * when tfjs:webgpu's asynchronous start began meanwhile.
 */
let starts: Promise<unknown> = Promise.resolve();

/** Starts a variant once per page; a failure becomes the reason shown next to it. */
export function probe(option: BackendOption): Promise<Availability> {
  let p = cache.get(option.label);
  if (p === undefined) {
    const { needs } = option.entry.variant;
    p = starts
      .then(() => unmetInWords(needs))
      .then((unmet): Promise<Availability> | Availability =>
        unmet !== undefined
          ? { label: option.label, ...unmet }
          : option
              .create()
              .then((backend): Availability => ({ label: option.label, backend }))
              .catch((e: unknown): Availability => {
                const detail = e instanceof Error ? e.message : String(e);
                const reason =
                  needs?.wasm !== undefined
                    ? `it did not start (its WebAssembly files are served from ${needs.wasm.dir}/): ${detail}`
                    : `it did not start: ${detail}`;
                return { label: option.label, reason, detail };
              }),
      );
    cache.set(option.label, p);
    starts = p;
  }
  return p;
}
