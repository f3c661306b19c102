import { activationProblem, InputError, inferShapes, resolveLimits } from '@tessera/spec';
import { positionals } from '../args.js';
import type { Command } from '../command.js';
import { EXIT_OK } from '../errors.js';
import { print, readSpec } from '../io.js';

/** `tessera validate`: checks a spec file and prints ok or every problem as `path: message`. */
export const validate: Command = {
  name: 'validate',
  summary: 'check a spec file; print ok or every problem as path: message',
  help: `usage: tessera validate <spec.json>

Parses and checks a tessera.model/v1 spec: the schema, references, cycles and shapes, and
when every input dim is fixed, the activation limit for every value the model would compute
(those inside attention and encoder layers too), as run would.
Prints "ok" and exits 0, or prints every problem as "<file>: <path>: <message>" on stderr and
exits 1. Use - to read the spec from stdin.`,
  options: {},
  async run(parsed, { io }) {
    const [file] = positionals('validate', parsed, ['spec.json']);
    const spec = await readSpec(io, file);
    const fixed = Object.values(spec.inputs).every((i) =>
      i.shape.every((d) => typeof d === 'number'),
    );
    if (fixed) {
      const problem = activationProblem(spec, inferShapes(spec), {}, resolveLimits());
      if (problem !== undefined) throw new InputError(problem.message, problem.name);
    }
    print(io.stdout, 'ok');
    return EXIT_OK;
  },
};
