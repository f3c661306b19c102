import { initWeights, parameterCount, writeSafetensors } from '@tessera/spec';
import { flag, int, positionals, required } from '../args.js';
import type { Command } from '../command.js';
import { EXIT_OK, from } from '../errors.js';
import { count } from '../format.js';
import { print, readSpec, writeFile } from '../io.js';

/** `tessera init-weights`: writes a spec's seeded PyTorch-style initial weights as safetensors. */
export const initWeightsCommand: Command = {
  name: 'init-weights',
  summary: 'write seeded PyTorch-style initial weights as safetensors',
  help: `usage: tessera init-weights <spec.json> --seed N -o weights.safetensors [--randomize-constants]

Fills every weight of the spec's manifest reproducibly (same spec and seed, same bytes on every
platform) with PyTorch's default initialisation, and writes them as safetensors. The spec's JSON
is stored in the file's __metadata__ under "tessera.spec" and the seed under "tessera.seed".

options:
  --seed N                 the seed (an integer, default 0)
  -o, --output             the file to write (required)
  --randomize-constants    random values instead of the constant inits (norm scales of 1,
                           zero biases, running statistics), to exercise every weight`,
  options: {
    seed: { type: 'string' },
    output: { type: 'string', short: 'o' },
    'randomize-constants': { type: 'boolean' },
  },
  async run(parsed, { io }) {
    const [file] = positionals('init-weights', parsed, ['spec.json']);
    const seed = int('init-weights', parsed, 'seed', { min: 0, max: 2 ** 32 - 1 }) ?? 0;
    const out = required('init-weights', parsed, 'output', '<weights.safetensors>');
    const spec = await readSpec(io, file);
    const weights = await from(file, () =>
      initWeights(spec, seed, { randomizeConstants: flag(parsed, 'randomize-constants') }),
    );
    const bytes = writeSafetensors(weights, {
      format: 'pt',
      'tessera.spec': JSON.stringify(spec),
      'tessera.seed': String(seed),
    });
    writeFile(io, out, bytes);
    print(
      io.stdout,
      `wrote ${weights.size} tensors (${count(parameterCount(spec))} parameters) to ${out}`,
    );
    return EXIT_OK;
  },
};
