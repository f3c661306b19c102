import { inferShapes, parameterCount } from '@tessera/spec';
import { bindings, checkBindNames, positionals } from '../args.js';
import type { Command } from '../command.js';
import { EXIT_OK, from } from '../errors.js';
import { count, shape, table } from '../format.js';
import { print, readSpec } from '../io.js';

/** `tessera inspect`: lists a spec's nodes with op, output shape and parameter count. */
export const inspect: Command = {
  name: 'inspect',
  summary: 'list the nodes of a spec with op, output shape and parameter count',
  help: `usage: tessera inspect <spec.json> [--bind batch=2,time=16]

Prints one row per node (in execution order): id, op, inputs, output shape and parameter
count, then the total. Symbolic dims stay symbolic unless bound with --bind.

options:
  --bind name=size,...   sizes for symbolic dims (repeatable)`,
  options: { bind: { type: 'string', multiple: true } },
  async run(parsed, { io }) {
    const [file] = positionals('inspect', parsed, ['spec.json']);
    const bind = bindings('inspect', parsed);
    const spec = await readSpec(io, file);
    checkBindNames('inspect', bind, spec);
    const shapes = await from(file, () => inferShapes(spec, bind));
    const rows = spec.nodes.map((node) => [
      node.id,
      node.op,
      node.input.join(', '),
      shape(shapes.get(node.id)?.shape ?? []),
      count(parameterCount(spec, node.id)),
    ]);
    print(
      io.stdout,
      `${spec.name}: ${Object.entries(spec.inputs)
        .map(([n, i]) => `${n} ${i.dtype} ${shape(i.shape)}`)
        .join(', ')}`,
    );
    print(io.stdout, ...table(['node', 'op', 'input', 'output shape', 'params'], rows, [4]));
    print(io.stdout, `total parameters: ${count(parameterCount(spec))}`);
    print(
      io.stdout,
      `outputs: ${Object.entries(spec.outputs)
        .map(([n, ref]) => `${n} = ${ref} ${shape(shapes.get(ref)?.shape ?? [])}`)
        .join(', ')}`,
    );
    return EXIT_OK;
  },
};
