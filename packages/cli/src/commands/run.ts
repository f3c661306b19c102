import {
  checkInputs,
  defaultBindings,
  defaultLimits,
  InputError,
  numel,
  randomInputs,
  type Tensor,
  writeSafetensors,
} from '@tessera/spec';
import { bindings, checkBindNames, flag, int, positionals, required, str } from '../args.js';
import { parseBackendLabel, startBackend } from '../backends.js';
import type { Command } from '../command.js';
import { EXIT_OK, from, SourcedError, UsageError } from '../errors.js';
import { preview, shape } from '../format.js';
import { print, readSpec, readTensors, readWeights, writeFile } from '../io.js';

/** `tessera run`: runs a model on a backend variant and prints or saves its outputs. */
export const run: Command = {
  name: 'run',
  summary: 'run a model on a backend and print or save its outputs',
  help: `usage: tessera run <spec.json> --weights w.safetensors
                   (--inputs in.safetensors | --random-inputs [--seed N] [--bind ...])
                   [--backend name[:variant]] [-o out.safetensors]

Checks the weights and inputs against the spec, compiles the model on the backend, runs it,
prints each output's name, dtype, shape and first values, and writes the outputs as
safetensors with -o.

options:
  --weights FILE          the weights: safetensors (PyTorch state_dict names), a shard
                          index (model.safetensors.index.json) or a Hugging Face folder
  --inputs FILE           the inputs (safetensors, one tensor per model input)
  --random-inputs         make seeded random inputs instead (floats in [-1, 1), ids in range)
  --seed N                the seed for --random-inputs (default 0)
  --bind name=size,...    sizes for symbolic dims; unbound dims are 2 with --random-inputs
  --backend NAME[:VAR]    reference (default), ort, tfjs, gpujs, ... with an optional variant
  -o, --output FILE       write the outputs as safetensors`,
  options: {
    weights: { type: 'string' },
    inputs: { type: 'string' },
    'random-inputs': { type: 'boolean' },
    seed: { type: 'string' },
    bind: { type: 'string', multiple: true },
    backend: { type: 'string', short: 'b' },
    output: { type: 'string', short: 'o' },
  },
  async run(parsed, { io, resolver }) {
    const [file] = positionals('run', parsed, ['spec.json']);
    const weightsFile = required('run', parsed, 'weights', '<weights.safetensors>');
    const inputsFile = str(parsed, 'inputs');
    const random = flag(parsed, 'random-inputs');
    if ((inputsFile === undefined) === !random)
      throw new UsageError('give exactly one of --inputs FILE and --random-inputs', 'run');
    const seed = int('run', parsed, 'seed', { min: 0, max: 2 ** 32 - 1 });
    if (seed !== undefined && !random)
      throw new UsageError('--seed only applies to --random-inputs', 'run');
    const bind = bindings('run', parsed);
    const label = parseBackendLabel(str(parsed, 'backend') ?? 'reference', 'run');
    const out = str(parsed, 'output');

    const spec = await readSpec(io, file);
    checkBindNames('run', bind, spec);
    const weights = await readWeights(io, spec, weightsFile);
    let inputs: Record<string, Tensor>;
    let source: string;
    if (inputsFile !== undefined) {
      source = inputsFile;
      inputs = Object.fromEntries((await readTensors(io, inputsFile)).tensors);
      const checked = await from(source, () => checkInputs(spec, inputs));
      const clashes = Object.entries(bind).filter(
        ([k, v]) => Object.hasOwn(checked.bindings, k) && checked.bindings[k] !== v,
      );
      if (clashes.length > 0) {
        const issues = clashes.map(([k, v]) => ({
          name: k,
          message: `is ${checked.bindings[k]} in the inputs but --bind says ${v}`,
        }));
        throw new SourcedError(source, new InputError(issues));
      }
    } else {
      source = 'random inputs';
      const sizes = defaultBindings(spec, bind, 2);
      // Checked before randomInputs allocates, so that a mistyped --bind cannot exhaust memory.
      const limit = defaultLimits.maxActivationElements;
      for (const [name, input] of Object.entries(spec.inputs)) {
        const n = numel(input.shape.map((d) => (typeof d === 'number' ? d : sizes[d])));
        if (n > limit)
          throw new SourcedError(
            source,
            new InputError(`would hold ${n} elements, over the limit of ${limit}`, name),
          );
      }
      inputs = await from(source, () => randomInputs(spec, sizes, seed ?? 0));
      await from(source, () => checkInputs(spec, inputs));
    }

    const backend = await startBackend(resolver, label);
    const name = `${backend.name}:${backend.variant}`;
    const started = performance.now();
    const compiled = await from(name, () => backend.compile(spec, weights));
    let outputs: Record<string, Tensor>;
    try {
      outputs = await from(name, () => compiled.run(inputs));
    } finally {
      await compiled.dispose();
    }
    const ms = performance.now() - started;

    print(io.stdout, `${spec.name} on ${name}: compile + run ${ms.toFixed(0)} ms`);
    for (const [n, t] of Object.entries(inputs))
      print(io.stdout, `  input  ${n} ${t.dtype} ${shape(t.shape)}`);
    for (const [n, t] of Object.entries(outputs))
      print(io.stdout, `  output ${n} ${t.dtype} ${shape(t.shape)} ${preview(t)}`);
    if (out !== undefined) {
      writeFile(
        io,
        out,
        writeSafetensors(new Map(Object.entries(outputs)), {
          'tessera.backend': name,
          'tessera.model': spec.name,
        }),
      );
      print(io.stdout, `wrote ${Object.keys(outputs).length} outputs to ${out}`);
    }
    return EXIT_OK;
  },
};
