import { UnsupportedOpError } from '@tessera/spec';
import type { GPU } from 'gpu.js';
import { expect, test, vi } from 'vitest';
import { KernelCache } from './plan.js';

function stubGpu() {
  const createKernel = vi.fn((_source: string, _settings: object) =>
    Object.assign(() => new Float32Array(1), { destroy: vi.fn() }),
  );
  return { gpu: { createKernel } as unknown as GPU, createKernel };
}

const where = { op: 'linear', id: 'fc' };

test('a kernel is built once per source and sizes', () => {
  const { gpu, createKernel } = stubGpu();
  const sources: string[] = [];
  const cache = new KernelCache(gpu, { maxElements: 100, maxLoop: 10 }, (s) => sources.push(s));
  const a = cache.get('return a0[i];', 4, [new Float32Array(4)], where);
  const b = cache.get('return a0[i];', 4, [new Float32Array(4)], where);
  cache.get('return a0[i];', 8, [new Float32Array(8)], where);
  expect(a).toBe(b);
  expect(createKernel).toHaveBeenCalledTimes(2);
  expect(sources).toHaveLength(2);
  expect(createKernel.mock.calls[0][1]).toMatchObject({
    output: [4],
    pipeline: true,
    precision: 'single',
  });
});

test('mode limits are refused with UnsupportedOpError before gpu.js sees the kernel', () => {
  const { gpu, createKernel } = stubGpu();
  const cache = new KernelCache(gpu, { maxElements: 100, maxLoop: 10 }, undefined);
  expect(() => cache.get('return 0;', 101, [], where)).toThrow(UnsupportedOpError);
  expect(() => cache.get('return a0[i];', 4, [new Float32Array(101)], where)).toThrow(
    /101 elements/,
  );
  const loop = (n: number, step: string) =>
    `let s = 0;\nfor (let k = 0; k < ${n}; ${step}) {\ns += 1;\n}\nreturn s;`;
  expect(() => cache.get(loop(11, 'k++'), 4, [], where)).toThrow(/11 iterations/);
  // A step of 4 over 40 is 10 iterations: allowed.
  expect(() => cache.get(loop(40, 'k += 4'), 4, [], where)).not.toThrow();
  expect(() => cache.get('for (let k = 0; k < n; k++) {\n}\nreturn 0;', 4, [], where)).toThrow(
    /without a literal bound/,
  );
  expect(createKernel).toHaveBeenCalledTimes(1);
});

test('a kernel binding more than 7 arrays is an internal error (WebGPU and WebGL2 bind limits)', () => {
  const { gpu, createKernel } = stubGpu();
  const cache = new KernelCache(gpu, { maxElements: 100, maxLoop: 10 }, undefined);
  const arrays = (n: number) => Array.from({ length: n }, () => new Float32Array(4));
  // Numbers are uniforms, not bindings: 7 arrays and a number is allowed.
  expect(() => cache.get('return a0[i];', 4, [...arrays(7), 3], where)).not.toThrow();
  expect(() => cache.get('return a0[i];', 4, arrays(8), where)).toThrow(
    /internal: a linear kernel takes 8 arrays, over the 7/,
  );
  expect(createKernel).toHaveBeenCalledTimes(1);
});
