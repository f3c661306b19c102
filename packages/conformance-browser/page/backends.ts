// How the page creates each browser variant. Every backend is imported on demand, so a backend whose
// module fails to load in the browser becomes one unavailable column with the reason, not a dead page.
import type { Backend } from '@tessera/spec';
import type { BrowserVariant } from '../src/variants.ts';
import { requireWebGpuAdapter } from './environment.ts';

/**
 * scripts/build-page.ts copies the wasm binaries beside the page (`ort/`, `tfjs-wasm/`); the
 * backends are told so through their `wasmPaths` option, so nothing is fetched from a CDN.
 */
const asset = (dir: string) => new URL(`${dir}/`, document.baseURI).href;

const ort = async (variant: 'wasm' | 'webgpu') =>
  (await import('@tessera/backend-ort')).createBackend({ variant, wasmPaths: asset('ort') });
const tfjs = async (variant: 'cpu' | 'wasm' | 'webgl' | 'webgpu') =>
  (await import('@tessera/backend-tfjs')).createBackend({ variant, wasmPaths: asset('tfjs-wasm') });
const gpujs = async (variant: 'cpu' | 'webasm' | 'webgl2' | 'webgpu') =>
  (await import('@tessera/backend-gpujs')).createBackend({ variant });

/** A webgpu variant starts only where an adapter exists, so that without one it is one unavailable column. */
const withAdapter = (create: () => Promise<Backend>) => async () => {
  await requireWebGpuAdapter();
  return create();
};

/** Typed over every label, so a variant added to src/variants.ts without a factory is a type error. */
export const factories: Record<BrowserVariant, () => Promise<Backend>> = {
  'reference:f64': async () => (await import('@tessera/backend-reference')).createBackend(),
  'ort:wasm': () => ort('wasm'),
  'ort:webgpu': withAdapter(() => ort('webgpu')),
  'tfjs:cpu': () => tfjs('cpu'),
  'tfjs:wasm': () => tfjs('wasm'),
  'tfjs:webgl': () => tfjs('webgl'),
  'tfjs:webgpu': withAdapter(() => tfjs('webgpu')),
  'gpujs:cpu': () => gpujs('cpu'),
  'gpujs:webasm': () => gpujs('webasm'),
  'gpujs:webgl2': () => gpujs('webgl2'),
  'gpujs:webgpu': withAdapter(() => gpujs('webgpu')),
};
