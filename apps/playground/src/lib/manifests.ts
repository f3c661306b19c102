// The backends the playground bundles, as their manifests (each main entry imported on demand):
// read by src/lib/backends.ts for the menu and by vite.config.ts for the wasm files the page serves.
import { manifest as gpujs } from '@tessera/backend-gpujs/manifest';
import { manifest as ort } from '@tessera/backend-ort/manifest';
import { manifest as reference } from '@tessera/backend-reference/manifest';
import { manifest as tfjs } from '@tessera/backend-tfjs/manifest';
import { type BackendPackage, variantsIn, wasmFilesOf } from '@tessera/spec';

/** In the order of the backend menu. */
export const packages: readonly BackendPackage[] = [
  { manifest: reference, load: () => import('@tessera/backend-reference') },
  { manifest: tfjs, load: () => import('@tessera/backend-tfjs') },
  { manifest: ort, load: () => import('@tessera/backend-ort') },
  { manifest: gpujs, load: () => import('@tessera/backend-gpujs') },
];

/** Every variant that runs in a browser, with its label. */
export const browserEntries = () => variantsIn(packages, 'browser');

/** The wasm files those variants load, each served at `path` beside the page. */
export const wasmFiles = () => wasmFilesOf(browserEntries());
