// External data (ONNX's format for models over protobuf's 2 GiB): the .onnx file and its weights
// file, exercised on a small model by setting the threshold to 0. onnxruntime-node loads the pair
// from the model's path and computes what the inline model computes; ONNX's checker checks the
// pair by path (skipped, saying why, without python3-onnx outside CI; export-check.test.ts
// fails CI without it).
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultBindings, initWeights, llamaLM, randomInputs } from '@tessera/spec';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, test } from 'vitest';
import { toOnnx } from '../src/compile.js';
import { decodeModel } from '../src/graph-builder.js';

const dir = mkdtempSync(join(tmpdir(), 'tessera-onnx-external-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const script = join(dirname(fileURLToPath(import.meta.url)), '..', 'scripts', 'check-onnx.py');
const python =
  process.env.PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');

const spec = llamaLM({
  vocabSize: 32,
  hiddenSize: 32,
  numLayers: 2,
  numHeads: 4,
  numKeyValueHeads: 2,
  intermediateSize: 48,
  maxLength: 16,
});
const weights = initWeights(spec, 7, { randomizeConstants: true });
const inputs = randomInputs(spec, defaultBindings(spec, {}, 5), 3);

/** Writes the model and, through the write callback, its weights file; returns the model bytes. */
function exportPair(name: string, opset?: number): Uint8Array {
  const fd = openSync(join(dir, `${name}.data`), 'w');
  try {
    const bytes = toOnnx(spec, weights, {
      opset,
      externalData: {
        location: `${name}.data`,
        threshold: 0,
        write: (chunk) => writeSync(fd, chunk),
      },
    });
    writeFileSync(join(dir, name), bytes);
    return bytes;
  } finally {
    closeSync(fd);
  }
}

async function run(model: string | Uint8Array) {
  const session =
    typeof model === 'string'
      ? await ort.InferenceSession.create(model)
      : await ort.InferenceSession.create(model);
  try {
    const feeds = Object.fromEntries(
      Object.entries(inputs).map(([k, t]) => [k, new ort.Tensor(t.dtype, t.data, t.shape)]),
    );
    const out = await session.run(feeds);
    return Array.from(out[session.outputNames[0]].data as Float32Array);
  } finally {
    await session.release();
  }
}

describe('external data', () => {
  const bytes = exportPair('llama.onnx');
  const model = decodeModel(bytes);
  const inits = model.graph!.initializer!;

  test('every initializer of 1 KiB or more is external, at 4 KiB-aligned offsets', () => {
    const external = inits.filter((t) => t.dataLocation === 1);
    expect(external.length).toBeGreaterThan(0);
    let end = 0;
    for (const t of external) {
      expect(t.rawData?.length ?? 0, t.name!).toBe(0);
      const entry = Object.fromEntries(t.externalData!.map((e) => [e.key, e.value]));
      expect(entry.location).toBe('llama.onnx.data');
      const offset = Number(entry.offset);
      const length = Number(entry.length);
      expect(offset % 4096, t.name!).toBe(0);
      expect(offset).toBeGreaterThanOrEqual(end);
      expect(length).toBe(t.dims!.map(Number).reduce((p, k) => p * k, 1) * 4);
      end = offset + length;
    }
    expect(statSync(join(dir, 'llama.onnx.data')).size).toBe(end);
    // The small ones (shapes, axes, scalars) stay inline.
    for (const t of inits.filter((t) => t.dataLocation !== 1))
      expect(t.rawData!.length, t.name!).toBeLessThan(1024);
  });

  test('the weights keep their PyTorch names', () => {
    const names = new Set(inits.map((t) => t.name));
    for (const name of [
      'model.embed_tokens.weight',
      'model.layers.1.input_layernorm.weight',
      'model.norm.weight',
    ])
      expect(names.has(name), name).toBe(true);
    // nn.Linear's weight on 3-D inputs is stored transposed, under a derived name.
    expect(names.has('model.layers.0.self_attn.q_proj.weight.T')).toBe(true);
  });

  test('onnxruntime-node loads the pair from the path and gives the inline model’s outputs', async () => {
    const inline = await run(toOnnx(spec, weights));
    expect(await run(join(dir, 'llama.onnx'))).toEqual(inline);
  });

  test('ONNX checker passes the pair by path (opset 17)', (context) => {
    exportPair('llama17.onnx', 17);
    const version = spawnSync(python, [script, '--version'], { encoding: 'utf8' });
    if (version.status !== 0) {
      if (process.env.CI === undefined) context.skip(`${python} has no onnx module`);
      throw new Error(`the ONNX checker is required in CI: ${version.stderr || version.error}`);
    }
    const r = spawnSync(python, [script, join(dir, 'llama17.onnx')], { encoding: 'utf8' });
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true });
    // The checker reads the weights: without the data file the same model fails.
    rmSync(join(dir, 'llama17.onnx.data'));
    const broken = spawnSync(python, [script, join(dir, 'llama17.onnx')], { encoding: 'utf8' });
    expect(JSON.parse(broken.stdout)).toMatchObject({ ok: false });
  });

  test('a location that is not a plain file name is refused', () => {
    for (const location of ['../w.data', '/tmp/w.data', 'a/b.data', ''])
      expect(() =>
        toOnnx(spec, weights, { externalData: { location, threshold: 0, write: () => {} } }),
      ).toThrow(/must be a plain file name/);
  });
});
