// Builds the conformance page (page/) into dist/page with Vite, and copies the wasm binaries of
// onnxruntime-web and tfjs-backend-wasm beside it so that the page fetches nothing from a network.
// Run by `pnpm build` after tsup; `tsx scripts/build-page.ts` builds the page alone.
import { copyFile, mkdir, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, defaultClientConditions } from 'vite';

const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const defaultPageDir = join(packageRoot, 'dist', 'page');

/** The files of a dependency's folder whose names pass `keep`, copied into `to`. */
async function copyRuntimeFiles(
  from: string,
  to: string,
  keep: (name: string) => boolean,
): Promise<string[]> {
  await mkdir(to, { recursive: true });
  const names = (await readdir(from)).filter(keep);
  if (names.length === 0) throw new Error(`no runtime files in ${from}`);
  await Promise.all(names.map((n) => copyFile(join(from, n), join(to, n))));
  return names;
}

export async function buildPage(outDir: string = defaultPageDir): Promise<void> {
  await build({
    configFile: false,
    root: join(packageRoot, 'page'),
    // Relative asset URLs, so the page works from any path the server puts it under.
    base: './',
    logLevel: 'warn',
    resolve: {
      conditions: [
        // Workspace packages resolve to their TypeScript sources (the `@tessera/source` export
        // condition), so the page needs no prior build of the backends and always runs the code in
        // the checkout.
        '@tessera/source',
        // onnxruntime-web's builds that load their wasm and glue from env.wasm.wasmPaths (the
        // copies below) instead of embedding the glue and making Vite emit a second copy of each
        // 27 MB binary.
        'onnxruntime-web-use-extern-wasm',
        ...defaultClientConditions,
      ],
    },
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      // No source maps: Playwright reports the page's errors by message, and the maps of the
      // bundled runtimes weigh 20 MB.
      sourcemap: false,
      reportCompressedSize: false,
      // tfjs and onnxruntime-web are large on purpose; the page is never shipped to users.
      chunkSizeWarningLimit: 20_000,
    },
  });

  const require = createRequire(join(packageRoot, 'package.json'));
  // onnxruntime-web loads `ort-wasm-simd-threaded[.jsep|.asyncify|.jspi].{wasm,mjs}` from
  // env.wasm.wasmPaths; page/backends.ts passes ./ort/ as backend-ort's `wasmPaths`.
  const ortDist = dirname(require.resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm'));
  // The default build ('onnxruntime-web') runs the .jsep files, 'onnxruntime-web/webgpu' the
  // .asyncify ones; the plain and .jspi builds are never imported.
  await copyRuntimeFiles(ortDist, join(outDir, 'ort'), (n) =>
    /^ort-wasm-simd-threaded\.(jsep|asyncify)\.(wasm|mjs)$/.test(n),
  );
  // tfjs-backend-wasm picks one of three binaries (plain, simd, threaded-simd) at run time;
  // page/backends.ts passes ./tfjs-wasm/ as backend-tfjs's `wasmPaths`.
  const tfjsWasmDist = join(
    dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')),
    'dist',
  );
  await copyRuntimeFiles(tfjsWasmDist, join(outDir, 'tfjs-wasm'), (n) => n.endsWith('.wasm'));
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  await buildPage(process.argv[2] ? resolve(process.argv[2]) : defaultPageDir);
  console.log(`built the conformance page in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
