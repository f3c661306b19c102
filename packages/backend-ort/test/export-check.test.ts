// ONNX's own checker (onnx.checker.check_model with full shape inference, Debian's python3-onnx)
// over every conformance case exported by toOnnx: one Python start checks every file
// (scripts/check-onnx.py). The installed onnx 1.12 knows opsets up to 17, so the files are
// checked at opset 17; a checker that knows the default opset checks those too. Without python3
// or its onnx module the test fails in CI (CI installs python3-onnx) and is skipped, saying why,
// elsewhere. The catalogue holds every preset (`preset/<name>-small` and `-default`).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { catalogue, materialise } from '@tessera/conformance';
import { UnsupportedOpError } from '@tessera/spec';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEFAULT_OPSET, toOnnx } from '../src/compile.js';
import { decodeModel } from '../src/graph-builder.js';

const script = join(dirname(fileURLToPath(import.meta.url)), '..', 'scripts', 'check-onnx.py');
const dir = mkdtempSync(join(tmpdir(), 'tessera-onnx-check-'));
// Debian's python3-onnx is a module of Debian's python (/usr/bin/python3), which another python3
// first on the PATH would not see; PYTHON overrides both.
const python =
  process.env.PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The opsets the installed checker knows up to, or why there is none. */
function checkerOpset(): number | string {
  const r = spawnSync(python, [script, '--version'], { encoding: 'utf8' });
  if (r.error !== undefined) return `${python} cannot start: ${r.error.message}`;
  if (r.status !== 0)
    return `${python} has no usable onnx module: ${r.stderr.trim().split('\n').pop()}`;
  return (JSON.parse(r.stdout) as { opset: number }).opset;
}

/** Runs the checker over the files; one result per file. */
function check(files: string[]): { file: string; ok: boolean; error?: string }[] {
  const r = spawnSync(python, [script, ...files], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0 && r.status !== 1) throw new Error(`check-onnx.py failed: ${r.stderr}`);
  return r.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
}

const known = checkerOpset();
const missing = typeof known === 'string';
if (missing && process.env.CI === undefined)
  console.warn(`skipping ONNX checker tests: ${known} (CI installs python3-onnx)`);

describe('portable exports pass ONNX checker', () => {
  test('the checker is installed (required in CI)', (context) => {
    if (missing && process.env.CI === undefined) context.skip(known as string);
    expect(known, 'python3 with onnx (apt-get install python3-onnx)').toBeTypeOf('number');
  });

  for (const opset of [17, DEFAULT_OPSET]) {
    describe(`opset ${opset}`, () => {
      const files = new Map<string, string>();
      /** Cases the backend cannot compile (an UnsupportedOpError, as conformance reports them). */
      const unsupported: string[] = [];
      beforeAll(() => {
        for (const c of catalogue) {
          const { spec, weights } = materialise(c);
          const file = join(dir, `${opset}-${c.id.replace(/[^A-Za-z0-9]+/g, '_')}.onnx`);
          try {
            writeFileSync(file, toOnnx(spec, weights, { opset }));
          } catch (e) {
            if (!(e instanceof UnsupportedOpError)) throw e;
            unsupported.push(`${c.id} (${e.message})`);
            continue;
          }
          files.set(c.id, file);
        }
        if (unsupported.length > 0)
          console.warn(`not exported (unsupported on ORT): ${unsupported.join('; ')}`);
      });

      test('every case but the unsupported ones is exported', () => {
        expect(files.size + unsupported.length).toBe(catalogue.length);
        expect(files.size).toBeGreaterThan(catalogue.length * 0.9);
      });

      test('every node is in the default ONNX domain, under that opset alone', () => {
        for (const [id, file] of files) {
          const model = decodeModel(readFileSync(file));
          expect(
            model.opsetImport.map((o) => [o.domain ?? '', Number(o.version)]),
            id,
          ).toEqual([['', opset]]);
          const foreign = model.graph!.node!.filter((n) => (n.domain ?? '') !== '');
          expect(
            foreign.map((n) => `${n.domain}.${n.opType}`),
            id,
          ).toEqual([]);
        }
      });

      test('ONNX checker, full_check, on every exported case', (context) => {
        if (missing) {
          if (process.env.CI === undefined) context.skip(known as string);
          throw new Error(`the ONNX checker is required in CI: ${known}`);
        }
        if (opset > (known as number))
          context.skip(`the installed onnx knows opsets up to ${known}, not ${opset}`);
        const failed = check([...files.values()]).filter((r) => !r.ok);
        expect(failed.map((r) => `${r.file}: ${r.error}`)).toEqual([]);
      });
    });
  }
});
