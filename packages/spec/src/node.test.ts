import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WeightError } from './errors.js';
import { readSafetensorsFile, writeSafetensorsFile } from './node.js';
import { readSafetensors } from './safetensors.js';
import { float32, int32 } from './tensor.js';

const dir = mkdtempSync(join(tmpdir(), 'tessera-node-'));

describe('safetensors files by path', () => {
  it('writes a plain object and reads it back as a Map with its metadata', () => {
    const path = join(dir, 'w.safetensors');
    writeSafetensorsFile(path, { b: int32([7, -2]), a: float32([0.5, 1.5], [1, 2]) }, { k: 'v' });
    // The file is what writeSafetensors writes: readSafetensors of its bytes agrees.
    const bytes = readSafetensors(new Uint8Array(readFileSync(path)));
    const file = readSafetensorsFile(path);
    expect(file).toEqual(bytes);
    expect(file.metadata).toEqual({ k: 'v' });
    expect(file.tensors.get('a')).toEqual(float32([0.5, 1.5], [1, 2]));
    expect(file.tensors.get('b')).toEqual(int32([7, -2]));
  });

  it('names the path of a malformed file', () => {
    const path = join(dir, 'short.safetensors');
    writeFileSync(path, new Uint8Array(3));
    expect(() => readSafetensorsFile(path)).toThrow(WeightError);
    expect(() => readSafetensorsFile(path)).toThrow(path);
  });

  it('names the path of a missing file', () => {
    expect(() => readSafetensorsFile(join(dir, 'none.safetensors'))).toThrow(/none\.safetensors/);
  });
});
