// Writes a conformance case as ORT runs it: `<out>/model.onnx` (toOnnx of the case's spec and
// seeded weights, the bytes backend-ort's variants load) and `<out>/inputs.json` (its seeded inputs
// under their ONNX names), for run-onnx.ts and cut.py. From packages/conformance-browser:
//   npx tsx --conditions=@tessera/source repro/export-case.ts preset/cnnClassifier-default /tmp/cnn
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildGraph } from '@tessera/backend-ort';
import { caseById, materialise } from '@tessera/conformance';

const [id, out] = process.argv.slice(2);
if (id === undefined || out === undefined) {
  console.error('usage: export-case.ts <case id> <out dir>');
  process.exit(2);
}
const c = caseById(id);
if (c === undefined) throw new Error(`no conformance case ${JSON.stringify(id)}`);
const { spec, weights, inputs } = materialise(c);
const graph = buildGraph(spec, weights);
await mkdir(out, { recursive: true });
await writeFile(join(out, 'model.onnx'), graph.bytes);
const feeds = Object.fromEntries(
  Object.entries(inputs).map(([name, t]) => [
    graph.inputs.get(name) ?? name,
    { dtype: t.dtype, dims: t.shape, data: Array.from(t.data as ArrayLike<number>) },
  ]),
);
await writeFile(join(out, 'inputs.json'), `${JSON.stringify(feeds)}\n`);
console.log(`wrote ${join(out, 'model.onnx')} (opset ${graph.opset}) and inputs.json`);
