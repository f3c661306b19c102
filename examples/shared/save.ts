// Trained weights as safetensors with the spec inside (`__metadata__["tessera.spec"]`, as
// `tessera init-weights` writes it) and beside (`<name>.json`), so `tessera run <name>.json
// --weights <name>.safetensors --backend ...` loads them on any backend.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  checkWeights,
  type ModelSpec,
  parseSpec,
  readSafetensors,
  type Weights,
  writeSafetensors,
} from '@tessera/spec';

export function saveModel(
  dir: string,
  name: string,
  spec: ModelSpec,
  weights: Weights,
  metadata: Record<string, string> = {},
): { spec: string; weights: string } {
  const specFile = join(dir, `${name}.json`);
  const weightsFile = join(dir, `${name}.safetensors`);
  writeFileSync(specFile, `${JSON.stringify(spec, null, 2)}\n`);
  writeFileSync(
    weightsFile,
    writeSafetensors(weights, { 'tessera.spec': JSON.stringify(spec), ...metadata }),
  );
  return { spec: specFile, weights: weightsFile };
}

/** Reads a saved model back, checking the weights against the spec beside them. */
export function loadModel(
  dir: string,
  name: string,
): { spec: ModelSpec; weights: Weights; metadata: Record<string, string> } {
  const spec = parseSpec(JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')));
  const { tensors, metadata } = readSafetensors(
    new Uint8Array(readFileSync(join(dir, `${name}.safetensors`))),
  );
  checkWeights(spec, tensors);
  return { spec, weights: tensors, metadata };
}
