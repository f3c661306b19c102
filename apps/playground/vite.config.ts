import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { type Plugin, runnerImport } from 'vite';
import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources (the `@tessera/source` condition), so
// the playground always shows what the repository holds without building the packages first.
// onnxruntime-web's extern-wasm builds load their wasm and its glue from the `wasmPaths` the
// backend is given (the files served below) instead of a second, bundled copy.
const conditions = [
  '@tessera/source',
  'onnxruntime-web-use-extern-wasm',
  'browser',
  'module',
  'import',
  'default',
];

const root = dirname(fileURLToPath(import.meta.url));


/**
 * Serves (dev) and emits (build) the wasm files the browser variants' manifests name, each at
 * `<dir>/<name>` beside the page, where src/lib/backends.ts tells the backends to look. The
 * manifests are read from the backends' sources through Vite's module runner, as the app is built.
 */
function manifestWasmFiles(): Plugin {
  let files: Promise<{ path: string; file: string }[]> | undefined;
  const list = () => {
    files ??= (async () => {
      const { module } = await runnerImport<typeof import('./src/lib/manifests.ts')>(
        join(root, 'src', 'lib', 'manifests.ts'),
        {
          root,
          logLevel: 'warn',
          environments: {
            inline: { resolve: { conditions: ['@tessera/source'], noExternal: [/^@tessera\//] } },
          },
        },
      );
      const require = createRequire(join(root, 'package.json'));
      return module
        .wasmFiles()
        .map(({ path, specifier }) => ({ path, file: require.resolve(specifier) }));
    })();
    return files;
  };
  return {
    name: 'tessera-manifest-wasm-files',
    // vitest's unit tests start no backend.
    apply: (_config, env) => env.mode !== 'test',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const path = new URL(req.url ?? '/', 'http://localhost').pathname.slice(1);
        list()
          .then((all) => {
            const found = all.find((f) => f.path === path);
            if (found === undefined) return next();
            res.setHeader(
              'Content-Type',
              path.endsWith('.wasm') ? 'application/wasm' : 'text/javascript',
            );
            createReadStream(found.file).pipe(res);
          })
          .catch(next);
      });
    },
    async generateBundle() {
      for (const { path, file } of await list())
        this.emitFile({ type: 'asset', fileName: path, source: await readFile(file) });
    },
  };
}

export default defineConfig({
  plugins: [react(), manifestWasmFiles()],
  base: './',
  resolve: { conditions },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
  build: { target: 'es2022', chunkSizeWarningLimit: 8000 },
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  // The page generates in a module worker that imports the backends lazily (code splitting).
  worker: { format: 'es' },
  // Tests under `@vitest-environment node` (the e2e test, the worker's host) load the workspace
  // packages from their sources too, as vitest.shared.ts does for the packages' own tests.
  ssr: { resolve: { conditions: ['@tessera/source', 'node', 'default'], externalConditions: [] } },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'e2e/**/*.test.ts'],
    environment: 'happy-dom',
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // codemirror-json-schema's ESM imports its own files without extensions, which node's loader
    // refuses; Vite resolves them when it transforms the package instead (the editor's test).
    server: { deps: { inline: ['codemirror-json-schema'] } },
  },
});
