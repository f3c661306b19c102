// Where a command reads and writes: streams and a working directory, injectable so that commands
// can run in-process (tests, other tools) as well as from the binary.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  checkWeights,
  joinShards,
  type ModelSpec,
  parseShardIndex,
  parseSpec,
  readSafetensors,
  SHARD_INDEX_NAME,
  shardFiles,
  type Tensor,
  type Weights,
} from '@tessera/spec';
import { CliError, from } from './errors.js';

/** Where a command writes: process.stdout or stderr, or a test's buffer. */
export interface Stream {
  /** Writes `text` as it is (no newline added). */
  write(text: string): unknown;
  isTTY?: boolean;
}

/** A command's streams and working directory, injectable so that commands run in-process too. */
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

/**
 * What a `--weights` argument names: a `.safetensors` file, a shard index (`*.json`), or a
 * Hugging Face folder, which stands for its `model.safetensors.index.json` or else its
 * `model.safetensors`. Returns the file as a path the user would type (relative stays relative).
 */
export function weightsFile(io: Io, file: string): string {
  if (file === '-') return file;
  const path = resolve(io.cwd, file);
  if (!existsSync(path) || !statSync(path).isDirectory()) return file;
  for (const name of [SHARD_INDEX_NAME, 'model.safetensors'])
    if (existsSync(join(path, name))) return join(file, name);
  throw new CliError(`${file}: the folder holds neither ${SHARD_INDEX_NAME} nor model.safetensors`);
}

/**
 * Reads weight tensors from a safetensors file, a shard index and the shards beside it, or a
 * folder holding either (see weightsFile). A missing shard, a tensor in the wrong shard or in
 * two, or one the index does not list is a WeightError naming the tensor and the shard.
 */
export async function readWeightTensors(
  io: Io,
  file: string,
): Promise<{ tensors: Map<string, Tensor>; metadata: Record<string, string>; file: string }> {
  const path = weightsFile(io, file);
  if (!path.endsWith('.json')) return { ...(await readTensors(io, path)), file: path };
  const index = await from(label(path), () => parseShardIndex(readFile(io, path).toString('utf8')));
  const shards = new Map<string, Uint8Array>();
  for (const shard of shardFiles(index)) {
    const shardPath = join(dirname(path), shard);
    if (!existsSync(resolve(io.cwd, shardPath))) continue; // joinShards names what it should hold
    const bytes = readFile(io, shardPath);
    shards.set(shard, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  }
  return { ...(await from(label(path), () => joinShards(index, shards))), file: path };
}

/** Reads weights (see readWeightTensors) and checks every name, shape and dtype against the spec's manifest. */
export async function readWeights(io: Io, spec: ModelSpec, file: string): Promise<Weights> {
  const { tensors, file: path } = await readWeightTensors(io, file);
  await from(label(path), () => checkWeights(spec, tensors));
  return tensors;
}
