import { existsSync } from 'node:fs';
import * as reference from '@tessera/backend-reference';
import { catalogue, decodingOf, randomCases } from '@tessera/conformance';
import type { Backend, Tensor } from '@tessera/spec';
import { describe, expect, it } from 'vitest';
import { caseFilter } from '../src/commands/conformance.js';
import { workdir } from './helpers.js';
import { runMain } from './in-process.js';

const w = workdir();
const linearIds = catalogue.filter((c) => c.id.startsWith('linear/')).map((c) => c.id);
/** The cases among `ids` that also get a decoding cell. */
const decoding = (ids: string[]) =>
  catalogue.filter((c) => ids.includes(c.id) && decodingOf(c) !== undefined).length;

/** A backend that runs the reference and then adds `offset` to every output element. */
function offsetBackend(offset: number, variant = 'off'): Backend {
  return {
    name: 'fake',
    variant,
    supports: () => true,
    async compile(spec, weights) {
      const model = await (await reference.createBackend()).compile(spec, weights);
      return {
        async run(inputs) {
          const out = await model.run(inputs);
          const shifted: Record<string, Tensor> = {};
          for (const [k, t] of Object.entries(out))
            shifted[k] = { ...t, data: (t.data as Float32Array).map((v) => v + offset) };
          return shifted;
        },
        dispose: () => model.dispose(),
      };
    },
  };
}

describe('tessera conformance', () => {
  it('runs the selected cases on a backend and writes Markdown and JSON reports', () => {
    expect(linearIds.length).toBeGreaterThan(0);
    const r = w.tessera(
      'conformance',
      '--cases',
      'linear/*',
      '--backends',
      'reference:f64',
      '--report',
      'r.md',
      '--json',
      'r.json',
    );
    expect(r.status).toBe(0);
    for (const id of linearIds) expect(r.stdout).toContain(id);
    const json = JSON.parse(w.read('r.json').toString('utf8'));
    expect(json.counts.pass).toBe(linearIds.length + decoding(linearIds));
    expect(json.counts.fail).toBe(0);
    const md = w.read('r.md').toString('utf8');
    for (const id of linearIds) expect(md).toContain(id);
  });

  it('--list prints the selected case ids, with --random cases drawn from the seed', () => {
    const r = w.tessera(
      'conformance',
      '--list',
      '--cases',
      'linear/*,random/*',
      '--random',
      '2',
      '--seed',
      '9',
    );
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual([
      ...linearIds,
      ...randomCases(2, 9).map((c) => c.id),
    ]);
  });

  it('an unknown backend or an unmatched glob is a usage error', () => {
    const a = w.tessera('conformance', '--backends', 'cuda:fast');
    expect(a.status).toBe(2);
    expect(a.stderr).toMatch(/unknown backend "cuda" \(available: .*reference/);
    const b = w.tessera('conformance', '--cases', 'no-such-op/*');
    expect(b.status).toBe(2);
  });

  it('exits 1 when a backend disagrees with the reference, and names the failing cells', async () => {
    const modules = {
      '@tessera/backend-reference': reference,
      '@tessera/backend-fake': { createBackend: async () => offsetBackend(0.5) },
    };
    const r = await runMain(
      ['conformance', '--cases', 'linear/basic', '--backends', 'fake:off', '--json', 'bad.json'],
      { cwd: w.dir, modules },
    );
    expect(r.status).toBe(1);
    const json = JSON.parse(w.read('bad.json').toString('utf8'));
    expect(json.counts.fail).toBe(1);
    expect(r.stdout).toContain('linear/basic');
  });

  it("by default runs the node variants each installed backend's manifest defaults there", async () => {
    const modules = {
      // The reference's manifest runs it by default in a browser page only (it is the oracle).
      '@tessera/backend-reference': reference,
      '@tessera/backend-fake': {
        manifest: {
          name: 'fake',
          variants: [
            { name: 'good', runsIn: ['node'] },
            { name: 'gone', runsIn: ['node'] },
            { name: 'page', runsIn: ['browser'] },
          ],
        },
        createBackend: async (o: { variant?: string }) => {
          if (o.variant === 'gone') throw new Error('needs a GPU');
          return offsetBackend(0, o.variant);
        },
      },
    };
    const r = await runMain(['conformance', '--cases', 'linear/basic', '--json', 'default.json'], {
      cwd: w.dir,
      modules,
    });
    const json = JSON.parse(w.read('default.json').toString('utf8'));
    expect(json.backends.map((b: { label: string }) => b.label)).toEqual([
      'fake:good',
      'fake:gone',
    ]);
    expect(json.backends[1]).toMatchObject({ available: false, reason: 'needs a GPU' });
    // linear/basic's decoding cell: the fake backend's models have no decoder.
    expect(json.counts).toMatchObject({ pass: 1, unsupported: 1, unavailable: 2 });
    // Unavailable is not a failure unless --strict.
    expect(r.status).toBe(0);
    const strict = await runMain(['conformance', '--cases', 'linear/basic', '--strict'], {
      cwd: w.dir,
      modules,
    });
    expect(strict.status).toBe(1);
  });
});

// The browser run needs Chromium, which CI installs with apt-get (ENVIRONMENT.md).
const chromium = process.env.TESSERA_CHROMIUM ?? '/usr/bin/chromium';

describe('tessera conformance --browser', () => {
  it.runIf(existsSync(chromium))(
    'runs the selected cases in headless Chromium and reports them',
    () => {
      const r = w.tessera(
        'conformance',
        '--browser',
        '--cases',
        'linear/basic,relu/*',
        '--backends',
        'reference:f64,tfjs:cpu',
        '--json',
        'browser.json',
      );
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/^Chromium \d+/m);
      const json = JSON.parse(w.read('browser.json').toString('utf8'));
      const ids = catalogue
        .filter((c) => c.id === 'linear/basic' || c.id.startsWith('relu/'))
        .map((c) => c.id);
      expect(json.counts.pass).toBe((ids.length + decoding(ids)) * 2);
    },
  );

  it('refuses --random with --browser', () => {
    const r = w.tessera('conformance', '--browser', '--random', '3');
    expect(r.status).toBe(2);
  });
});

describe('caseFilter', () => {
  it('matches whole ids with * as any run of characters', () => {
    const keep = caseFilter(['lstm/*', 'preset/*-small', 'relu']);
    expect(
      ['lstm/basic', 'preset/gpt-small', 'relu', 'relu/x', 'preset/gpt', 'xlstm/basic'].filter(
        keep,
      ),
    ).toEqual(['lstm/basic', 'preset/gpt-small', 'relu']);
    expect(caseFilter([])('anything')).toBe(true);
  });
});
