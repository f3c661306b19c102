import { UnsupportedOpError } from '@tessera/spec';
import type { GPU } from 'gpu.js';
import { expect, test, vi } from 'vitest';
import { KernelCache, PlanBuilder, sizeClass } from './plan.js';

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

test('a dynamic kernel is built once for every size, and its loops bound by arguments are checked', () => {
  const { gpu, createKernel } = stubGpu();
  const cache = new KernelCache(gpu, { maxElements: 100, maxLoop: 10 }, undefined);
  const body = 'let s = 0;\nfor (let k = 0; k < a1; k++) {\ns += a0[k];\n}\nreturn s;';
  const a = cache.get(body, 4, [new Float32Array(8), 8], where, true);
  const b = cache.get(body, 6, [new Float32Array(9), 9], where, true);
  expect(a).toBe(b);
  expect(createKernel).toHaveBeenCalledTimes(1);
  expect(createKernel.mock.calls[0][1]).toMatchObject({
    dynamicOutput: true,
    dynamicArguments: true,
  });
  expect(() => cache.get(body, 4, [new Float32Array(11), 11], where, true)).toThrow(
    /11 iterations/,
  );
});

test("a dynamic node's Body numbers become number arguments; elsewhere literals", () => {
  const { gpu, createKernel } = stubGpu();
  const cache = new KernelCache(gpu, { maxElements: 100, maxLoop: 100 }, undefined);
  const node = { op: 'permute', id: 'p' } as const;
  const x = { shape: [2, 3], slot: 0 };
  const body = (n: (v: number) => string) => `return a0[i * ${n(3)} + ${n(2)}];`;
  for (const dynamic of [false, true]) {
    const builder = new PlanBuilder(cache, 1);
    builder.context(node, new Map(), dynamic).run([2, 3], [x], body);
    const [step] = builder.build().steps;
    expect(step.args).toEqual(dynamic ? [{ slot: 0 }, 3, 2] : [{ slot: 0 }]);
    expect(step.dynamic).toBe(dynamic);
  }
  expect(createKernel.mock.calls.map((c) => c[0])).toEqual([
    'function(a0) {\nconst i = this.thread.x;\nreturn a0[i * 3 + 2];\n}',
    'function(a0, a1, a2) {\nconst i = this.thread.x;\nreturn a0[i * a1 + a2];\n}',
  ]);
});

test('on size-classed variants a dynamic kernel guards the threads past its real size', () => {
  const { gpu, createKernel } = stubGpu();
  const cache = new KernelCache(
    gpu,
    { maxElements: 100, maxLoop: 100, sizeClasses: true },
    undefined,
  );
  const builder = new PlanBuilder(cache, 1);
  builder
    .context({ op: 'concat', id: 'c' }, new Map(), true)
    .run([9], [{ shape: [9], slot: 0 }], () => 'return a0[i];');
  expect(builder.build().steps[0]).toMatchObject({ classed: true, args: [{ slot: 0 }, 9] });
  expect(createKernel.mock.calls[0][0]).toContain('if (i >= a1) {\nreturn 0;\n}');
  // Four sizes per power of two: 9 rounds up to 10, 33 to 40, and powers of two stay.
  expect([9, 33, 64, 2 ** 23].map(sizeClass)).toEqual([10, 40, 64, 2 ** 23]);
});
