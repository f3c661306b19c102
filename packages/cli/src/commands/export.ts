import type { ModelSpec, Weights } from '@tessera/spec';
import { positionals, required, str } from '../args.js';
import { manifestOf, type Resolver } from '../backends.js';
import type { Command } from '../command.js';
import { CliError, EXIT_OK, from, UsageError } from '../errors.js';
import { count } from '../format.js';
import { print, readSpec, readWeights, writeFile } from '../io.js';

type ToOnnx = (spec: ModelSpec, weights: Weights) => Uint8Array | Promise<Uint8Array>;

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

export const exportCommand: Command = {
  name: 'export',
  summary: 'write a model (spec + weights) in another format, e.g. ONNX',
  help: `usage: tessera export <spec.json> --weights w.safetensors --format onnx -o model.onnx

Compiles the spec and its weights to a standalone file: an ONNX ModelProto (written by
@tessera/backend-ort) that any ONNX tool can open.

options:
  --weights FILE      the weights (safetensors, a shard index or a Hugging Face folder)
  --format onnx       the output format (only onnx so far)
  -o, --output FILE   the file to write`,
  options: {
    weights: { type: 'string' },
    format: { type: 'string', short: 'f' },
    output: { type: 'string', short: 'o' },
  },
  async run(parsed, { io, resolver }) {
    const [file] = positionals('export', parsed, ['spec.json']);
    const weightsFile = required('export', parsed, 'weights', '<weights.safetensors>');
    const format = str(parsed, 'format') ?? 'onnx';
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
    const bytes = await from(`export to ${format}`, () => (exporter as ToOnnx)(spec, weights));
    writeFile(io, out, bytes);
    print(io.stdout, `wrote ${spec.name} as ${format} (${count(bytes.length)} bytes) to ${out}`);
    return EXIT_OK;
  },
};
