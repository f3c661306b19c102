import * as reference from '@tessera/backend-reference';
import { describe, expect, it } from 'vitest';
import {
  createResolver,
  defaultNodeVariants,
  installedBackends,
  manifestOf,
  parseBackendLabel,
  startBackend,
  variantOf,
} from './backends.js';
import { CliError, UsageError } from './errors.js';

describe('the backend resolver', () => {
  it('finds the installed @tessera/backend-* packages by their short names', () => {
    // The cli package depends on all four (package.json).
    expect(installedBackends()).toEqual(
      expect.arrayContaining(['gpujs', 'ort', 'reference', 'tfjs']),
    );
  });

  it('parses name[:variant] and refuses anything that is not a plain name', () => {
    expect(parseBackendLabel('ort:node')).toEqual({ name: 'ort', variant: 'node' });
    expect(parseBackendLabel('reference')).toEqual({ name: 'reference' });
    for (const bad of ['../x', '@evil/pkg', 'ORT', 'a:b:c', 'ort:web gpu', ''])
      expect(() => parseBackendLabel(bad)).toThrow(UsageError);
  });

  it('imports only installed names, as @tessera/backend-<name>', async () => {
    const asked: string[] = [];
    const resolver = createResolver(
      async (s) => {
        asked.push(s);
        return reference;
      },
      () => ['reference'],
    );
    await expect(resolver.load('tfjs')).rejects.toThrow(
      /unknown backend "tfjs" \(available: reference\)/,
    );
    const b = await startBackend(resolver, { name: 'reference' });
    expect(b.variant).toBe('f64');
    expect(asked).toEqual(['@tessera/backend-reference']);
  });

  it('imports a subpath entry of an installed backend, as @tessera/backend-<name>/<entry>', async () => {
    const asked: string[] = [];
    const resolver = createResolver(
      async (s) => {
        asked.push(s);
        if (s.endsWith('/missing')) throw new Error(`no such export ${s}`);
        return { train: () => undefined };
      },
      () => ['tfjs'],
    );
    expect(typeof (await resolver.loadEntry('tfjs', 'train')).train).toBe('function');
    await expect(resolver.loadEntry('ort', 'train')).rejects.toThrow(/unknown backend "ort"/);
    await expect(resolver.loadEntry('tfjs', '../x')).rejects.toThrow(UsageError);
    await expect(resolver.loadEntry('tfjs', 'missing')).rejects.toThrow(
      /installed but @tessera\/backend-tfjs\/missing could not be loaded/,
    );
    expect(asked).toEqual(['@tessera/backend-tfjs/train', '@tessera/backend-tfjs/missing']);
  });

  it('says when an installed package cannot load or a variant cannot start', async () => {
    const broken = createResolver(
      async () => {
        throw new Error('dist/index.js not found');
      },
      () => ['ort'],
    );
    await expect(broken.load('ort')).rejects.toThrow(
      /installed but could not be loaded.*dist\/index\.js not found/,
    );
    const failing = createResolver(
      async () => ({ createBackend: async () => Promise.reject(new Error('no GPU')) }),
      () => ['x'],
    );
    await expect(startBackend(failing, { name: 'x', variant: 'gpu' })).rejects.toThrow(
      new CliError('backend x:gpu cannot start: no GPU'),
    );
  });

  it("reads a package's variants from its manifest, and refuses a package without one", () => {
    const fake = {
      createBackend: async () => ({}) as never,
      manifest: {
        name: 'fake',
        variants: [
          { name: 'everywhere', runsIn: ['node', 'browser'] },
          { name: 'page', runsIn: ['browser'] },
          { name: 'oracle', runsIn: ['node', 'browser'], defaultIn: ['browser'] },
          { name: 'server', runsIn: ['node'], defaultIn: ['node'] },
        ],
      },
    };
    expect(manifestOf('fake', fake).name).toBe('fake');
    expect(defaultNodeVariants('fake', fake).map((v) => v.name)).toEqual(['everywhere', 'server']);
    expect(variantOf('fake', fake, undefined)?.name).toBe('everywhere');
    expect(variantOf('fake', fake, 'page')?.runsIn).toEqual(['browser']);
    expect(variantOf('fake', fake, 'none')).toBeUndefined();
    const bare = { createBackend: async () => ({}) as never, nodeVariants: ['node'] };
    expect(() => defaultNodeVariants('bare', bare)).toThrow(
      new CliError(
        '@tessera/backend-bare exports no manifest (its variants, where each runs, what each needs)',
      ),
    );
  });

  it("the installed backends' manifests give the node defaults of conformance and bench", async () => {
    const resolver = createResolver();
    const labels: string[] = [];
    for (const name of resolver.installed()) {
      for (const v of defaultNodeVariants(name, await resolver.load(name)))
        labels.push(`${name}:${v.name}`);
    }
    // Every node variant but the reference's (the oracle), as before manifests.
    expect(labels).toEqual([
      'gpujs:cpu',
      'gpujs:webasm',
      'ort:node',
      'ort:wasm',
      'tfjs:cpu',
      'tfjs:wasm',
    ]);
  });
});
