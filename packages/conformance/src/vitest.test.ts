import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startVitest } from 'vitest/node';

// Runs test/fixtures/helper.fixture.ts in a child vitest and reads back each test's state.
describe('conformanceTests', () => {
  it('registers one test per case: pass, fail with details, skip unsupported and expected failures', async () => {
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
        'linear/basic',
        'lstm/basic',
        'relu/basic',
      ]);
      expect(byName['relu/basic'].result?.state).toBe('pass');
      expect(byName['linear/basic'].result?.state).toBe('pass');
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
    } finally {
      await vitest.close();
    }
  });
});
