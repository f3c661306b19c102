// Builds the conformance page (page/) into dist/page with Vite, and copies the wasm files the
// browser variants' manifests name (onnxruntime-web's, tfjs-backend-wasm's) beside it, so that the
// page fetches nothing from a network. Run by `pnpm build` after tsup; `tsx scripts/build-page.ts`
// builds the page alone.
import { copyFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, defaultClientConditions, runnerImport } from 'vite';

const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const defaultPageDir = join(packageRoot, 'dist', 'page');

/**
 * The wasm files of the page's variants, from the manifests in the backends' sources (those the
 * page is built from), through Vite's module runner: this script runs under plain tsx and in
 * vitest's global setup, where the workspace packages would resolve to their builds.
 */
async function pageWasmFiles(): Promise<{ path: string; specifier: string }[]> {
  const { module } = await runnerImport<typeof import('../src/variants.ts')>(
    join(packageRoot, 'src', 'variants.ts'),
    {
      root: packageRoot,
      logLevel: 'warn',
      environments: {
        inline: { resolve: { conditions: ['@tessera/source'], noExternal: [/^@tessera\//] } },
      },
    },
  );
  return module.browserWasmFiles();
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

  // Each to `<dir>/<name>`; page/backends.ts passes `<dir>/`'s URL as the backend's `wasmPaths`.
  const require = createRequire(join(packageRoot, 'package.json'));
  for (const { path, specifier } of await pageWasmFiles()) {
    await mkdir(dirname(join(outDir, path)), { recursive: true });
    await copyFile(require.resolve(specifier), join(outDir, path));
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  await buildPage(process.argv[2] ? resolve(process.argv[2]) : defaultPageDir);
  console.log(`built the conformance page in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
