import { opNames } from '@tessera/spec';
import { describe, expect, test, vi } from 'vitest';
import { createBackend } from '../src/index.js';

describe('createBackend', () => {
  test('node is the default variant; the backend is named ort', async () => {
    const b = await createBackend();
    expect([b.name, b.variant]).toEqual(['ort', 'node']);
  });

  test('supports every v1 op, and says why not for an unknown one', async () => {
    const b = await createBackend({ variant: 'wasm' });
    for (const op of opNames) expect(b.supports(op), op).toBe(true);
    expect(b.supports('conv3d')).toMatch(/"conv3d" is not an op/);
  });

  test('webgpu in Node.js is rejected with a reason', async () => {
    await expect(createBackend({ variant: 'webgpu' })).rejects.toThrow(
      /needs a browser with WebGPU.*use variant 'node' or 'wasm'/,
    );
  });

  test('webgpu where navigator.gpu gives no adapter is rejected with the reason', async () => {
    // A browser as the backend sees one: no process.versions.node, navigator.gpu present.
    vi.stubGlobal('process', { ...process, versions: {} });
    vi.stubGlobal('navigator', { gpu: { requestAdapter: async () => null } });
    try {
      await expect(createBackend({ variant: 'webgpu' })).rejects.toThrow(
        /needs a WebGPU adapter, and navigator\.gpu\.requestAdapter\(\) gave none/,
      );
    } finally {
      vi.unstubAllGlobals();
    }
  });

  test('an unknown variant is rejected', async () => {
    await expect(createBackend({ variant: 'cuda' as 'node' })).rejects.toThrow(
      /unknown ORT variant "cuda"/,
    );
  });
});
