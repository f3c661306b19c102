import type { ModelSpec, Weights } from '@tessera/spec';
import { positionals, required, str } from '../args.js';
import type { Command } from '../command.js';
import { CliError, EXIT_OK, from, UsageError } from '../errors.js';
import { count } from '../format.js';
import { print, readSpec, readWeights, writeFile } from '../io.js';

type ToOnnx = (spec: ModelSpec, weights: Weights) => Uint8Array | Promise<Uint8Array>;

/** Each format and the backend package whose exporter writes it. */
const formats: Record<string, { backend: string; exporter: string }> = {
  onnx: { backend: 'ort', exporter: 'toOnnx' },
};

export const exportCommand: Command = {
  name: 'export',
  summary: 'write a model (spec + weights) in another format, e.g. ONNX',
  help: `usage: tessera export <spec.json> --weights w.safetensors --format onnx -o model.onnx

Compiles the spec and its weights to a standalone file: an ONNX ModelProto (written by
@tessera/backend-ort) that any ONNX tool can open.

options:
  --weights FILE      the weights (safetensors)
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
    const target = formats[format];
    if (!Object.hasOwn(formats, format))
      throw new UsageError(
        `unknown format ${JSON.stringify(format)}; formats: ${Object.keys(formats).join(', ')}`,
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
