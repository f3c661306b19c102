import { opNames } from '@tessera/spec';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createBackend } from './index.js';

describe('createBackend', () => {
  test.each(['cpu', 'webasm'] as const)(
    '%s starts in node and supports every v1 op',
    async (variant) => {
      const backend = await createBackend({ variant });
      expect(backend.name).toBe('gpujs');
      expect(backend.variant).toBe(variant);
      for (const op of opNames) expect(backend.supports(op)).toBe(true);
      expect(backend.supports('conv3d')).toMatch(/not an op of tessera.model\/v1/);
    },
  );

  test('cpu is the default variant', async () => {
    expect((await createBackend()).variant).toBe('cpu');
  });

  test.each([
    ['webgl2', /runs in a browser.*headless-gl/],
    ['webgpu', /runs in a browser with navigator\.gpu/],
  ])('%s is refused in node with the reason', async (variant, reason) => {
    await expect(createBackend({ variant })).rejects.toThrow(reason);
  });

  describe('webgpu where navigator.gpu exists', () => {
    afterEach(() => {
      vi.unstubAllGlobals();
    });
    const withAdapter = (requestAdapter: () => Promise<unknown>) =>
      vi.stubGlobal('navigator', { gpu: { requestAdapter } });

    test('is refused when requestAdapter() gives null (headless Chromium without a GPU)', async () => {
      withAdapter(async () => null);
      await expect(createBackend({ variant: 'webgpu' })).rejects.toThrow(
        /needs a WebGPU adapter, and navigator\.gpu\.requestAdapter\(\) gave none/,
      );
    });

    test('is refused with the reason when requestAdapter() rejects', async () => {
      withAdapter(async () => {
        throw new Error('blocked by policy');
      });
      await expect(createBackend({ variant: 'webgpu' })).rejects.toThrow(
        /requestAdapter\(\) failed: blocked by policy/,
      );
    });

    test('starts when an adapter answers', async () => {
      withAdapter(async () => ({ limits: {} }));
      const backend = await createBackend({ variant: 'webgpu' });
      expect(backend.variant).toBe('webgpu');
    });
  });

  test('an unknown variant is refused, naming the variants', async () => {
    await expect(createBackend({ variant: 'webgl' })).rejects.toThrow(
      /unknown variant "webgl"; the variants are cpu, webasm, webgl2, webgpu/,
    );
  });

  test('a precision that would quantise is refused', async () => {
    await expect(createBackend({ variant: 'cpu', precision: 'unsigned' })).rejects.toThrow(
      /precision "unsigned" is refused/,
    );
    await expect(createBackend({ variant: 'cpu', precision: 'single' })).resolves.toBeDefined();
  });
});
