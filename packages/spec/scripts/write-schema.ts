// Writes the JSON Schema of tessera.model/v1 (generated from the zod schema) next to the package.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { specJsonSchema } from '../src/json-schema.ts';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'schema', 'tessera.model.v1.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(specJsonSchema(), null, 2)}\n`);
console.log(`wrote ${out}`);
