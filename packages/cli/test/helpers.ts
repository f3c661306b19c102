// Runs the built `tessera` binary as a process in a temporary directory.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readSafetensors, type Tensor } from '@tessera/spec';
import { afterAll } from 'vitest';

export const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'bin.js');

export interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** A fresh temporary directory, removed after the test file. */
export function workdir(): {
  dir: string;
  tessera(...args: string[]): Result;
  write(name: string, data: string | Uint8Array): string;
  read(name: string): Buffer;
  tensors(name: string): Map<string, Tensor>;
} {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return {
    dir,
    tessera: (...args) => {
      const r = spawnSync(process.execPath, [BIN, ...args], {
        cwd: dir,
        encoding: 'utf8',
        timeout: 120_000,
      });
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    },
    write(name, data) {
      writeFileSync(join(dir, name), data);
      return name;
    },
    read: (name) => readFileSync(join(dir, name)),
    tensors: (name) => readSafetensors(new Uint8Array(readFileSync(join(dir, name)))).tensors,
  };
}

/** Node prints stack frames as `    at fn (file:line:col)`. */
export const STACK_FRAME = /^\s+at /m;
