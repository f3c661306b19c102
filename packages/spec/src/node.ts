// Node-only helpers (`@tessera/spec/node`): safetensors files read and written by path. Kept out
// of the main entry so that browser bundles never see `node:fs`.
import { readFileSync, writeFileSync } from 'node:fs';
import { WeightError } from './errors.js';
import { readSafetensors, type SafetensorsFile, writeSafetensors } from './safetensors.js';
import type { TensorMap } from './tensor.js';
import { toWeights } from './weights.js';

/**
 * Reads a `.safetensors` file: its tensors (a Map, which compile, run and decoder steps take as
 * they are) and its metadata. A malformed file is a WeightError naming the path.
 *
 * @example
 * const { tensors } = readSafetensorsFile('model.safetensors');
 * const model = await backend.compile(spec, tensors);
 */
export function readSafetensorsFile(path: string): SafetensorsFile {
  const bytes = readFileSync(path);
  try {
    return readSafetensors(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (e) {
    // readSafetensors names the file '(file)' and a tensor by its name; say which file.
    if (!(e instanceof WeightError)) throw e;
    throw new WeightError(
      e.issues.map((issue) => ({
        ...issue,
        name: issue.name === '(file)' ? path : `${path}: ${issue.name}`,
      })),
    );
  }
}

/**
 * Writes named tensors (a Map or a plain object) and optional string metadata as a
 * `.safetensors` file at `path`.
 *
 * @example
 * writeSafetensorsFile('weights.safetensors', initWeights(spec, 0), { seed: '0' });
 */
export function writeSafetensorsFile(
  path: string,
  tensors: TensorMap,
  metadata?: Record<string, string>,
): void {
  writeFileSync(path, writeSafetensors(toWeights(tensors), metadata));
}
