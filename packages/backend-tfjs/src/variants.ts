// tfjs has one global backend. ensureTfBackend makes a variant the active one, loading what it
// needs the first time: `cpu` ships with @tensorflow/tfjs; `wasm` needs the optional peer
// @tensorflow/tfjs-backend-wasm, whose .wasm binaries are found next to the installed package in
// Node.js (no network) and, in a browser, wherever `wasmPaths` says or beside the bundle
// (tfjs's default); `webgl` needs a browser; `webgpu` needs a browser and the optional peer
// @tensorflow/tfjs-backend-webgpu, imported the first time (it registers itself with tfjs).
import * as tf from '@tensorflow/tfjs';
import { manifest } from './manifest.js';

/** The variants, in the manifest's order (src/manifest.ts). */
export type TfVariant = (typeof manifest.variants)[number]['name'];
/** The variants' names, in the manifest's order. */
export const tfVariants: readonly TfVariant[] = manifest.variants.map((v) => v.name);

/** Options a variant reads when it starts (the wasm variant's binaries and threads). */
export interface VariantOptions {
  /** wasm: a directory URL/path prefix or a file map for tfjs-backend-wasm's setWasmPaths. */
  wasmPaths?: string | Record<string, string>;
  /** wasm: worker threads where the platform supports them (browser with cross-origin isolation). */
  numThreads?: number;
}

/** The reason a variant cannot start, thrown from createBackend and ensureTfBackend. */
export class VariantUnavailableError extends Error {
  override name = 'VariantUnavailableError';
  constructor(
    readonly variant: string,
    readonly reason: string,
  ) {
    super(`tfjs variant ${JSON.stringify(variant)} is not available: ${reason}`);
  }
}

export function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return (
    typeof p?.versions?.node === 'string' &&
    typeof (globalThis as { window?: unknown }).window === 'undefined'
  );
}

let wasmLoad: Promise<void> | undefined;

/** Registers the wasm backend once (it must know where its binaries are before it starts). */
function loadWasm(options: VariantOptions): Promise<void> {
  wasmLoad ??= (async () => {
    let wasm: typeof import('@tensorflow/tfjs-backend-wasm');
    try {
      wasm = await import('@tensorflow/tfjs-backend-wasm');
    } catch (e) {
      throw new VariantUnavailableError(
        'wasm',
        `@tensorflow/tfjs-backend-wasm could not be loaded (${(e as Error).message}); install it next to @tensorflow/tfjs`,
      );
    }
    if (options.wasmPaths !== undefined) wasm.setWasmPaths(options.wasmPaths);
    else if (isNode()) wasm.setWasmPaths(await nodeWasmDirectory());
    if (options.numThreads !== undefined) wasm.setThreadsCount(options.numThreads);
  })();
  wasmLoad.catch(() => {
    wasmLoad = undefined; // let a later call retry, e.g. with wasmPaths
  });
  return wasmLoad;
}

let webgpuLoad: Promise<void> | undefined;

/**
 * Registers the webgpu backend once. Importing the package registers it with tfjs; an app that
 * imported it already (or registered its own "webgpu") is left as it is.
 */
function loadWebgpu(): Promise<void> {
  if (tf.findBackendFactory('webgpu') !== null) return Promise.resolve();
  webgpuLoad ??= (async () => {
    try {
      await import('@tensorflow/tfjs-backend-webgpu');
    } catch (e) {
      throw new VariantUnavailableError(
        'webgpu',
        `@tensorflow/tfjs-backend-webgpu could not be loaded (${(e as Error).message}); install it next to @tensorflow/tfjs`,
      );
    }
    if (tf.findBackendFactory('webgpu') === null)
      throw new VariantUnavailableError(
        'webgpu',
        '@tensorflow/tfjs-backend-webgpu loaded but registered no "webgpu" backend with this copy of @tensorflow/tfjs (two copies of tfjs-core installed?)',
      );
  })();
  webgpuLoad.catch(() => {
    webgpuLoad = undefined;
  });
  return webgpuLoad;
}

/** The installed package's dist/ folder, where its .wasm files are, as a path prefix. */
async function nodeWasmDirectory(): Promise<string> {
  // process.getBuiltinModule (Node ≥ 20.16) keeps `node:module` out of browser bundles' sight.
  type NodeProcess = { getBuiltinModule?: (id: string) => unknown };
  const proc = (globalThis as { process?: NodeProcess }).process;
  const nodeModule = (proc?.getBuiltinModule?.('node:module') ??
    (await import(
      /* @vite-ignore */ ['node', 'module'].join(':')
    ))) as typeof import('node:module');
  const { createRequire } = nodeModule;
  const require = createRequire(import.meta.url);
  const file = require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm');
  return file.slice(0, file.length - 'tfjs-backend-wasm.wasm'.length);
}

async function loadVariant(variant: TfVariant, options: VariantOptions): Promise<void> {
  switch (variant) {
    case 'cpu':
      return; // registered by @tensorflow/tfjs
    case 'wasm':
      return loadWasm(options);
    case 'webgl':
      if (isNode())
        throw new VariantUnavailableError(
          variant,
          'WebGL needs a browser; Node.js has no WebGL context (use "cpu" or "wasm")',
        );
      return;
    case 'webgpu':
      if (isNode())
        throw new VariantUnavailableError(
          variant,
          'WebGPU needs a browser; Node.js has no navigator.gpu (use "cpu" or "wasm")',
        );
      return loadWebgpu();
    default:
      throw new VariantUnavailableError(
        String(variant),
        `unknown variant; the tfjs variants are ${tfVariants.join(', ')}`,
      );
  }
}

/** Makes `variant` tfjs's active backend (loading it the first time). Throws VariantUnavailableError. */
export function ensureTfBackend(variant: TfVariant, options: VariantOptions = {}): Promise<void> {
  if (pending === 0 && tf.getBackend() === variant) return Promise.resolve();
  // Switches are made one at a time, in the order asked: two variants starting at once would
  // otherwise each undo the other's setBackend between its awaits.
  pending++;
  const mine = switching.then(() => switchTo(variant, options)).finally(() => pending--);
  switching = mine.catch(() => undefined);
  return mine;
}

let switching: Promise<void> = Promise.resolve();
let pending = 0;

async function switchTo(variant: TfVariant, options: VariantOptions): Promise<void> {
  if (tf.getBackend() === variant) return;
  // In node, tfjs-backend-cpu prints a banner on stdout-adjacent console.warn recommending
  // tfjs-node (which cannot install here); it would mix into command output. tfjs's own switch
  // for quiet, check-free operation is PROD, which only affects logging and debug checks.
  if (
    typeof process !== 'undefined' &&
    process.versions?.node !== undefined &&
    !tf.env().getBool('PROD')
  ) {
    tf.env().set('PROD', true);
  }
  await loadVariant(variant, options);
  // Another caller may switch between our await and our return; loop until ours is active.
  for (let attempt = 0; tf.getBackend() !== variant; attempt++) {
    if (attempt > 0 && attempt >= 3)
      throw new VariantUnavailableError(variant, 'another model keeps switching the tfjs backend');
    if (!(await tf.setBackend(variant))) {
      throw new VariantUnavailableError(
        variant,
        `tf.setBackend("${variant}") failed (see tfjs's console warning for why)`,
      );
    }
  }
}
