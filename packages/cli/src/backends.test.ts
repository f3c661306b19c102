import * as reference from '@tessera/backend-reference';
import { describe, expect, it } from 'vitest';
import {
  createResolver,
  installedBackends,
  nodeVariantsOf,
  parseBackendLabel,
  startBackend,
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

  it('takes node variants from the package when it lists them, else from the known table', () => {
    expect(nodeVariantsOf('ort', { createBackend: async () => ({}) as never })).toEqual([
      'node',
      'wasm',
    ]);
    expect(
      nodeVariantsOf('ort', { createBackend: async () => ({}) as never, nodeVariants: ['node'] }),
    ).toEqual(['node']);
    expect(nodeVariantsOf('unknown', { createBackend: async () => ({}) as never })).toEqual([]);
  });
});
