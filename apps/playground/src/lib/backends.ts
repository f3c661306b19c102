// The backend variants a browser may start, each imported only when it is asked for, so a
// backend that cannot load here greys out with its reason instead of breaking the page.
import type { Backend } from '@tessera/spec';

export interface BackendOption {
  label: string;
  create: () => Promise<Backend>;
}

export const backendOptions: BackendOption[] = [
  {
    label: 'reference:f64',
    create: async () => (await import('@tessera/backend-reference')).createBackend(),
  },
  {
    label: 'tfjs:cpu',
    create: async () => (await import('@tessera/backend-tfjs')).createBackend({ variant: 'cpu' }),
  },
  {
    label: 'tfjs:wasm',
    create: async () => (await import('@tessera/backend-tfjs')).createBackend({ variant: 'wasm' }),
  },
  {
    label: 'tfjs:webgl',
    create: async () => (await import('@tessera/backend-tfjs')).createBackend({ variant: 'webgl' }),
  },
  {
    label: 'tfjs:webgpu',
    create: async () =>
      (await import('@tessera/backend-tfjs')).createBackend({ variant: 'webgpu' }),
  },
  {
    label: 'ort:wasm',
    create: async () => (await import('@tessera/backend-ort')).createBackend({ variant: 'wasm' }),
  },
  {
    label: 'ort:webgpu',
    create: async () => (await import('@tessera/backend-ort')).createBackend({ variant: 'webgpu' }),
  },
  {
    label: 'gpujs:webgl2',
    create: async () =>
      (await import('@tessera/backend-gpujs')).createBackend({ variant: 'webgl2' }),
  },
  {
    label: 'gpujs:webasm',
    create: async () =>
      (await import('@tessera/backend-gpujs')).createBackend({ variant: 'webasm' }),
  },
  {
    label: 'gpujs:cpu',
    create: async () => (await import('@tessera/backend-gpujs')).createBackend({ variant: 'cpu' }),
  },
];

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
