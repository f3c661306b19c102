// Runs one ONNX model in headless Chromium with onnxruntime-web alone (no Tessera code in the page)
// on two execution providers, webgpu and wasm, and prints, for every graph output, the largest
// difference between them: the tool that cut ort:webgpu's wrong numbers down to one op
// (the package README, "Reproducers"). From packages/conformance-browser:
//   npx tsx repro/run-onnx.ts <model.onnx> [inputs.json] [--level all|basic|disabled] [--top 3]
//     [--dump outputs.json] (both providers' outputs, {webgpu, wasm})
// inputs.json is {name: {dtype, dims, data}} (export-case.ts writes one); without it every float
// input is seeded uniform in [-1, 1). Exits 1 when an output differs by more than --tol (1e-4).
import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { chromiumArgs, defaultChromium } from '../src/chromium.ts';
import { serveStatic } from '../src/serve.ts';

interface Feed {
  dtype: 'float32' | 'int32' | 'int64';
  dims: number[];
  data: number[];
}
type Outputs = Record<string, { dims: number[]; data: number[] }>;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    level: { type: 'string', default: 'all' },
    tol: { type: 'string', default: '1e-4' },
    top: { type: 'string', default: '3' },
    dump: { type: 'string' },
  },
});
const [modelPath, inputsPath] = positionals;
if (modelPath === undefined) {
  console.error('usage: run-onnx.ts <model.onnx> [inputs.json] [--level all] [--tol 1e-4]');
  process.exit(2);
}

// The page: onnxruntime-web's webgpu build (which also has the wasm provider) and the model,
// served from a temporary folder of links.
const ortDist = dirname(createRequire(import.meta.url).resolve('onnxruntime-web/webgpu'));
const root = await mkdtemp(join(tmpdir(), 'tessera-onnx-repro-'));
await symlink(ortDist, join(root, 'ort'));
await symlink(resolve(modelPath), join(root, 'model.onnx'));
await writeFile(
  join(root, 'index.html'),
  `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script type="module">
import * as ort from './ort/ort.webgpu.min.mjs';
ort.env.wasm.wasmPaths = new URL('./ort/', location.href).href;
ort.env.wasm.numThreads = 1;
const bytes = new Uint8Array(await (await fetch('./model.onnx')).arrayBuffer());
const arrays = { float32: Float32Array, int32: Int32Array, int64: BigInt64Array };
window.runOn = async (ep, feeds, level) => {
  const session = await ort.InferenceSession.create(bytes, {
    executionProviders: ep === 'webgpu' ? ['webgpu', 'wasm'] : ['wasm'],
    graphOptimizationLevel: level,
  });
  const inputs = {};
  for (const [name, f] of Object.entries(feeds)) {
    const data = f.dtype === 'int64' ? BigInt64Array.from(f.data.map(BigInt)) : arrays[f.dtype].from(f.data);
    inputs[name] = new ort.Tensor(f.dtype, data, f.dims);
  }
  const out = await session.run(inputs);
  const result = {};
  for (const name of session.outputNames)
    result[name] = { dims: [...out[name].dims], data: Array.from(out[name].data, Number) };
  await session.release();
  return result;
};
window.inputNames = async () => {
  const s = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
  const meta = s.inputMetadata.map((m) => ({ name: m.name, type: m.type, shape: m.shape }));
  await s.release();
  return meta;
};
window.ready = true;
</script>`,
);

/** mulberry32: seeded inputs without a file, the same on every run. */
function uniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const server = await serveStatic(root);
const profile = await mkdtemp(join(tmpdir(), 'tessera-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.TESSERA_CHROMIUM ?? defaultChromium,
  headless: true,
  args: ['--headless', ...chromiumArgs, '--enable-unsafe-webgpu'],
});
let failed = false;
try {
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (m) => {
    if (m.type() === 'error') process.stderr.write(`[chromium] ${m.text()}\n`);
  });
  page.on('pageerror', (e) => process.stderr.write(`[chromium] uncaught: ${e.message}\n`));
  await page.goto(server.url);
  await page.waitForFunction(() => (window as { ready?: boolean }).ready === true);
  let feeds: Record<string, Feed>;
  if (inputsPath !== undefined) {
    feeds = JSON.parse(await readFile(inputsPath, 'utf8'));
  } else {
    type Meta = { name: string; type: string; shape: (number | string)[] };
    const meta = await page.evaluate<Meta[]>('inputNames()');
    const next = uniform(1);
    feeds = {};
    for (const m of meta) {
      if (m.type !== 'float32' || m.shape.some((d) => typeof d !== 'number'))
        throw new Error(`input ${m.name} is ${m.type} [${m.shape}]: give inputs.json`);
      const dims = m.shape as number[];
      const n = dims.reduce((a, b) => a * b, 1);
      feeds[m.name] = {
        dtype: 'float32',
        dims,
        data: Array.from({ length: n }, () => 2 * next() - 1),
      };
    }
  }
  const run = (ep: string) =>
    page.evaluate<Outputs, [string, Record<string, Feed>, string]>(
      ([e, f, l]) =>
        (window as unknown as { runOn: (...a: unknown[]) => Promise<Outputs> }).runOn(e, f, l),
      [ep, feeds, values.level ?? 'all'],
    );
  const gpu = await run('webgpu');
  const cpu = await run('wasm');
  if (values.dump !== undefined)
    await writeFile(values.dump, `${JSON.stringify({ webgpu: gpu, wasm: cpu })}\n`);
  const tol = Number(values.tol);
  const top = Number(values.top);
  for (const [name, want] of Object.entries(cpu)) {
    const got = gpu[name];
    const diffs = want.data.map((w, i) => ({ i, w, g: got.data[i], d: Math.abs(got.data[i] - w) }));
    // A NaN on one side only is the worst difference there is.
    const rank = (d: number) => (Number.isNaN(d) ? Number.POSITIVE_INFINITY : d);
    const worst = [...diffs].sort((a, b) => rank(b.d) - rank(a.d) || 0);
    const maxAbs = Math.max(...want.data.map(Math.abs));
    const over = diffs.filter((d) => !(d.d <= tol)).length;
    if (over > 0) failed = true;
    const at = (i: number) => {
      const idx: number[] = [];
      for (let d = want.dims.length - 1, r = i; d >= 0; d--) {
        idx.unshift(r % want.dims[d]);
        r = Math.floor(r / want.dims[d]);
      }
      return `[${idx.join(', ')}]`;
    };
    console.log(
      `${name} [${want.dims.join(', ')}]: max |webgpu − wasm| ${worst[0].d.toExponential(2)} ` +
        `(max |wasm| ${maxAbs.toExponential(2)}), ${over} of ${diffs.length} over ${tol}` +
        worst
          .slice(0, over > 0 ? top : 0)
          .map((d) => `\n    at ${at(d.i)}: wasm ${d.w}, webgpu ${d.g}`)
          .join(''),
    );
  }
  if (server.missing.length > 0) console.log(`not served: ${server.missing.join(', ')}`);
} finally {
  await context.close();
  await server.close();
  await rm(profile, { recursive: true, force: true });
  await rm(root, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
