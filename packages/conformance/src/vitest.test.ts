import { fileURLToPath } from 'node:url';
import { createBackend as createReference } from '@tessera/backend-reference';
import type { Backend } from '@tessera/spec';
import { describe, expect, it } from 'vitest';
import { startVitest } from 'vitest/node';
import { materialise } from './case.js';
import { catalogue } from './cases/index.js';
import { noDecoderReason } from './decode.js';
import { defaultTolerance } from './tolerance.js';
import { expectConforms, expectDecodes, expectOutputsConform } from './vitest.js';

// Runs test/fixtures/helper.fixture.ts in a child vitest and reads back each test's state.
describe('conformanceTests', () => {
  it('registers one test per case and per decodable case: pass, fail with details, skip unsupported and expected failures', async () => {
    const root = fileURLToPath(new URL('..', import.meta.url));
    const vitest = await startVitest('test', ['test/fixtures/helper.fixture.ts'], {
      root,
      watch: false,
      include: ['test/fixtures/*.fixture.ts'],
      // A reporter that prints nothing: the fixture's deliberate failure must not read as this run's.
      reporters: [{}],
      silent: true,
    });
    try {
      const tests = vitest.state
        .getFiles()
        .flatMap((f) => f.tasks.flatMap((s) => ('tasks' in s ? s.tasks : [s])));
      const byName = Object.fromEntries(tests.map((t) => [t.name, t]));
      // The skip note is on the result at run time, though TaskResult's type does not declare it.
      const note = (name: string) => (byName[name].result as { note?: string } | undefined)?.note;
      expect(Object.keys(byName).sort()).toEqual([
        'conv1d/basic',
        'gelu/tanh',
        'gelu/tanh/decode',
        'linear/basic',
        'linear/basic/decode',
        'lstm/basic',
        'lstm/basic/decode',
        'relu/basic',
        'relu/basic/decode',
      ]);
      for (const name of ['relu/basic', 'linear/basic', 'relu/basic/decode', 'linear/basic/decode'])
        expect(byName[name].result?.state, name).toBe('pass');
      const lstm = byName['lstm/basic'].result!;
      expect(lstm.state).toBe('fail');
      expect(lstm.errors?.[0].message).toMatch(
        /^lstm\/basic on fixture:x: output (y|h_n|c_n) differs at flat index 3 /,
      );
      expect(lstm.errors?.[0].message).toMatch(/got .*, want /);
      expect(
        byName['conv1d/basic'].mode === 'skip' || byName['conv1d/basic'].result?.state === 'skip',
      ).toBe(true);
      expect(note('conv1d/basic')).toBe('unsupported on fixture:x: conv1d: no convolutions here');
      expect(note('gelu/tanh')).toBe('expected to fail on fixture:x: erf is approximated');
      expect(note('gelu/tanh/decode')).toBe('expected to fail on fixture:x: erf is approximated');
      expect(note('lstm/basic/decode')).toBe(
        'unsupported on fixture:x: no decoder: the compiled model has no decoder() (§6.5)',
      );
    } finally {
      await vitest.close();
    }
  });
});

// A backend over the reference that is off by 0.5 at element 3 of every LSTM output, declines
// conv1d, and records the compile options it is given.
async function fixture(seen: unknown[] = []): Promise<Backend> {
  const inner = await createReference();
  return {
    name: 'fixture',
    variant: 'x',
    supports: (op) => (op === 'conv1d' ? 'no convolutions here' : true),
    async compile(spec, weights, options) {
      seen.push(options);
      const model = await inner.compile(spec, weights);
      return {
        async run(inputs) {
          const out = await model.run(inputs);
          if (spec.nodes.some((n) => n.op === 'lstm'))
            for (const t of Object.values(out)) t.data[3] += 0.5;
          return out;
        },
        dispose: () => model.dispose(),
      };
    },
  };
}

const byId = (id: string) => catalogue.find((c) => c.id === id)!;

describe('expectConforms', () => {
  it('passes a right cell, passing compileOptions to compile and labelling it <name>:<variant>', async () => {
    const seen: unknown[] = [];
    const cell = await expectConforms(await fixture(seen), byId('relu/basic'), {
      compileOptions: { attention: 'matmul' },
    });
    expect(cell).toMatchObject({ caseId: 'relu/basic', backend: 'fixture:x', status: 'pass' });
    expect(cell.tolerance).toEqual(defaultTolerance);
    expect(seen).toEqual([{ attention: 'matmul' }]);
  });

  it("throws describeFailure's line for a wrong, unsupported or stale-listed cell", async () => {
    const backend = await fixture();
    await expect(expectConforms(backend, byId('lstm/basic'))).rejects.toThrow(
      /^lstm\/basic on fixture:x: output (y|h_n|c_n) differs at flat index 3 /,
    );
    await expect(expectConforms(backend, byId('conv1d/basic'))).rejects.toThrow(
      'conv1d/basic on fixture:x: unsupported (conv1d: no convolutions here)',
    );
    const stale = { 'fixture:*': [{ case: 'relu/*', reason: 'thought wrong' }] };
    await expect(
      expectConforms(backend, byId('relu/basic'), { expectations: stale }),
    ).rejects.toThrow(/unexpected-pass \(listed as expected to fail: thought wrong\)/);
  });

  it('reads the expectations list: a listed failure, a listed widening', async () => {
    const backend = await fixture();
    const listed = { 'fixture:x': [{ case: 'lstm/basic', reason: 'off by 0.5' }] };
    const cell = await expectConforms(backend, byId('lstm/basic'), { expectations: listed });
    expect(cell).toMatchObject({ status: 'expected-fail', reason: 'off by 0.5' });
    const wide = { 'fixture:x': [{ case: 'lstm/*', reason: 'half off', tolerance: { atol: 1 } }] };
    const widened = await expectConforms(backend, byId('lstm/basic'), { expectations: wide });
    expect(widened).toMatchObject({ status: 'pass', tolerance: { atol: 1, rtol: 1e-4 } });
  });
});

describe('expectDecodes', () => {
  it("judges a case's decoding cell; throws where it has none or the backend cannot decode", async () => {
    const reference = await createReference();
    const cell = await expectDecodes(reference, byId('gru/2layer'));
    expect(cell).toMatchObject({ caseId: 'gru/2layer/decode', kind: 'decode', status: 'pass' });
    await expect(expectDecodes(reference, byId('conv1d/basic'))).rejects.toThrow(
      'conv1d/basic is not decodable: it has no decoding cell',
    );
    await expect(expectDecodes(await fixture(), byId('relu/basic'))).rejects.toThrow(
      `relu/basic/decode on fixture:x: unsupported (${noDecoderReason})`,
    );
  });
});

describe('expectOutputsConform', () => {
  it("judges outputs computed from materialise(c) against the case's reference", async () => {
    const c = byId('lstm/basic');
    const { spec, weights, inputs } = materialise(c);
    const model = await (await fixture()).compile(spec, weights);
    const got = await model.run(inputs);
    await model.dispose();
    await expect(expectOutputsConform(got, c, { label: 'fixture:x' })).rejects.toThrow(
      /differs at flat index 3 /,
    );
    for (const t of Object.values(got)) t.data[3] -= 0.5;
    const cell = await expectOutputsConform(got, c, { label: 'fixture:x' });
    expect(cell.status).toBe('pass');
    const { y: _, ...missing } = got;
    await expect(expectOutputsConform(missing, c, { label: 'fixture:x' })).rejects.toThrow(
      /output y: output "y" is missing/,
    );
  });
});
