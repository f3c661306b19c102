// A browser bundle of this package never reaches onnxruntime-node (or any node: module): the
// runtimes are dynamic imports, and the Node-only specifiers are hidden from bundlers.
import { fileURLToPath } from 'node:url';
import { build, type Rollup } from 'vite';
import { expect, test } from 'vitest';

test('a browser build of src/index.ts pulls in neither onnxruntime-node nor node: modules', async () => {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const result = (await build({
    root,
    configFile: false,
    logLevel: 'silent',
    resolve: { conditions: ['@tessera/source', 'browser', 'module', 'import', 'default'] },
    build: {
      write: false,
      minify: false,
      lib: { entry: 'src/index.ts', formats: ['es'], fileName: 'index' },
      rollupOptions: { external: [/^onnxruntime-web/, 'onnx-proto', 'zod'] },
    },
  })) as Rollup.RollupOutput[] | Rollup.RollupOutput;
  const outputs = (Array.isArray(result) ? result : [result]).flatMap((r) => r.output);
  const chunks = outputs.filter((o): o is Rollup.OutputChunk => o.type === 'chunk');
  const modules = chunks.flatMap((c) => c.moduleIds);
  expect(modules.some((m) => m.includes('backend-ort/src/backend.ts'))).toBe(true);
  expect(modules.filter((m) => m.includes('onnxruntime-node'))).toEqual([]);
  const imports = chunks.flatMap((c) => [...c.imports, ...c.dynamicImports]);
  expect(imports.filter((i) => i.startsWith('node:') || i.includes('onnxruntime-node'))).toEqual(
    [],
  );
}, 60_000);
