import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { ModelSpec, Weights } from '@tessera/spec';
import { int, positionals, required, str } from '../args.js';
import { manifestOf, type Resolver } from '../backends.js';
import type { Command } from '../command.js';
import { CliError, EXIT_OK, from, UsageError } from '../errors.js';
import { count } from '../format.js';
import { print, readSpec, readWeights, writeFile } from '../io.js';

/**
 * What the command passes an exporter: its flags as they are (the exporter checks them and says
 * what it takes), and a sink for a weights file beside the output (ONNX's external data), which
 * it writes to only when the weights are too big for one file.
 */
interface ExportOptions {
  opset?: number;
  attention?: string;
  flavour?: string;
  externalData: { location: string; threshold?: number; write(chunk: Uint8Array): void };
}

type Exporter = (
  spec: ModelSpec,
  weights: Weights,
  options: ExportOptions,
) => Uint8Array | Promise<Uint8Array>;

/** The weights file beside `out`, opened on its first chunk only. */
function lazyFile(path: string) {
  let fd: number | undefined;
  let length = 0;
  return {
    write(chunk: Uint8Array) {
      fd ??= openSync(path, 'w');
      writeSync(fd, chunk);
      length += chunk.byteLength;
    },
    get written() {
      return fd !== undefined;
    },
    get length() {
      return length;
    },
    close() {
      if (fd !== undefined) closeSync(fd);
    },
  };
}

/**
 * Each format an installed backend's manifest says it writes, with that backend and its exporter.
 * Manifests come from the packages' `manifest` subpaths: no exporter is loaded before the files
 * are checked.
 */
async function formatsOf(
  resolver: Resolver,
): Promise<Map<string, { backend: string; exporter: string }>> {
  const formats = new Map<string, { backend: string; exporter: string }>();
  for (const backend of resolver.installed()) {
    let exporters: Readonly<Record<string, string>>;
    try {
      exporters =
        manifestOf(backend, await resolver.loadEntry(backend, 'manifest')).exporters ?? {};
    } catch {
      continue; // a package that cannot load writes nothing
    }
    for (const [format, exporter] of Object.entries(exporters))
      if (!formats.has(format)) formats.set(format, { backend, exporter });
  }
  return formats;
}

/**
 * `tessera export`: writes a spec with its weights in a format a backend package exports (ONNX).
 */
export const exportCommand: Command = {
  name: 'export',
  summary: 'write a model (spec + weights) in another format, e.g. ONNX',
  help: `usage: tessera export <spec.json> --weights w.safetensors --format onnx -o model.onnx
         [--flavour portable|ort] [--opset N] [--attention PATH]

Compiles the spec and its weights to a standalone file: an ONNX ModelProto (written by
@tessera/backend-ort). The portable flavour (the default) uses standard ONNX operators only, so
any ONNX tool opens it; --flavour ort writes ONNX Runtime's fused contrib operators
(com.microsoft), the graph the ORT backend runs, which only ONNX Runtime opens. Weights over
2 GiB go to a weights file beside the model, <output>.data (ONNX external data): keep the two
together.

options:
  --weights FILE      the weights (safetensors, a shard index or a Hugging Face folder)
  --format onnx       the output format (only onnx so far)
  -o, --output FILE   the file to write
  --flavour F         portable (default) or ort
  --opset N           the ONNX opset, 17 to 26 (default 21; newer operators are lowered)
  --attention PATH    multi-head attention: matmul (default when portable), onnx-attention
                      (opset 23's Attention), ms-attention (default with ort), ms-mha (ort only)
  --external-data-threshold BYTES
                      weights above this many bytes go to <output>.data (default 2 GiB − 64 MiB)`,
  options: {
    weights: { type: 'string' },
    format: { type: 'string', short: 'f' },
    output: { type: 'string', short: 'o' },
    flavour: { type: 'string' },
    opset: { type: 'string' },
    attention: { type: 'string' },
    'external-data-threshold': { type: 'string' },
  },
  async run(parsed, { io, resolver }) {
    const [file] = positionals('export', parsed, ['spec.json']);
    const weightsFile = required('export', parsed, 'weights', '<weights.safetensors>');
    const format = str(parsed, 'format') ?? 'onnx';
    const opset = int('export', parsed, 'opset');
    const threshold = int('export', parsed, 'external-data-threshold', { min: 0 });
    const formats = await formatsOf(resolver);
    const target = formats.get(format);
    if (target === undefined)
      throw new UsageError(
        `unknown format ${JSON.stringify(format)}; formats: ${[...formats.keys()].join(', ') || 'none (no installed backend writes one)'}`,
        'export',
      );
    const out = required('export', parsed, 'output', '<file>');
    const spec = await readSpec(io, file);
    const weights = await readWeights(io, spec, weightsFile);
    const mod = await resolver.load(target.backend);
    const exporter = mod[target.exporter];
    if (typeof exporter !== 'function')
      throw new CliError(`@tessera/backend-${target.backend} does not export ${target.exporter}`);
    const outPath = resolve(io.cwd, out);
    const location = `${basename(outPath)}.data`;
    const dataPath = join(dirname(outPath), location);
    const data = lazyFile(dataPath);
    let bytes: Uint8Array;
    try {
      bytes = await from(`export to ${format}`, () =>
        (exporter as Exporter)(spec, weights, {
          opset,
          attention: str(parsed, 'attention'),
          flavour: str(parsed, 'flavour'),
          externalData: { location, threshold, write: (chunk) => data.write(chunk) },
        }),
      );
    } catch (e) {
      data.close();
      // A half-written weights file would pass for a model's.
      if (data.written) rmSync(dataPath, { force: true });
      throw e;
    }
    data.close();
    writeFile(io, out, bytes);
    print(io.stdout, `wrote ${spec.name} as ${format} (${count(bytes.length)} bytes) to ${out}`);
    if (data.written)
      print(
        io.stdout,
        `wrote its weights (${count(data.length)} bytes) to ${join(dirname(out), location)}: keep it beside ${basename(out)}`,
      );
    return EXIT_OK;
  },
};
