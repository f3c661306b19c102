// Where a command reads and writes: streams and a working directory, injectable so that commands
// can run in-process (tests, other tools) as well as from the binary.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  checkWeights,
  type ModelSpec,
  parseSpec,
  readSafetensors,
  type Tensor,
  type Weights,
} from '@tessera/spec';
import { CliError, from } from './errors.js';

export interface Stream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface Io {
  stdout: Stream;
  stderr: Stream;
  /** Relative paths in arguments resolve against this directory. */
  cwd: string;
}

export function defaultIo(): Io {
  return { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() };
}

export function print(stream: Stream, ...lines: string[]): void {
  for (const line of lines) stream.write(`${line}\n`);
}

/** A short name for messages: the path as the user typed it. */
function label(file: string): string {
  return file === '-' ? '(stdin)' : file;
}

/** A file's bytes; an unreadable file is a CliError naming it. `-` is stdin. */
export function readFile(io: Io, file: string): Buffer {
  try {
    return readFileSync(file === '-' ? 0 : resolve(io.cwd, file));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory'
          : (e as Error).message;
    throw new CliError(`${label(file)}: cannot read: ${why}`);
  }
}

export function writeFile(io: Io, file: string, data: Uint8Array | string): void {
  try {
    writeFileSync(resolve(io.cwd, file), data);
  } catch (e) {
    throw new CliError(`${file}: cannot write: ${(e as Error).message}`);
  }
}

/** Reads and parses a spec file; a malformed or invalid spec throws a SpecError attributed to the file. */
export async function readSpec(io: Io, file: string): Promise<ModelSpec> {
  const text = readFile(io, file).toString('utf8');
  return from(label(file), () => parseSpec(text));
}

/** Reads a safetensors file into named tensors (any format problem names the file). */
export async function readTensors(
  io: Io,
  file: string,
): Promise<{ tensors: Map<string, Tensor>; metadata: Record<string, string> }> {
  const bytes = readFile(io, file);
  return from(label(file), () =>
    readSafetensors(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)),
  );
}

/** Reads weights and checks every name, shape and dtype against the spec's manifest. */
export async function readWeights(io: Io, spec: ModelSpec, file: string): Promise<Weights> {
  const { tensors } = await readTensors(io, file);
  await from(label(file), () => checkWeights(spec, tensors));
  return tensors;
}
