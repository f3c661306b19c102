import type { IKernelRunShortcut } from 'gpu.js';
import { expect, test } from 'vitest';
import type { ModeLimits, Step } from './plan.js';
import { follow, type Shaped, type Template } from './template.js';

const limits: ModeLimits = { maxElements: 2 ** 23, maxLoop: 2 ** 23 };
const kernel = (() => new Float32Array(1)) as unknown as IKernelRunShortcut;
const other = (() => new Float32Array(1)) as unknown as IKernelRunShortcut;

/** A one-step plan at cache length d whose numbers are `numbers(d)`, its size 2d. */
function planAt(d: number, numbers: (d: number) => number[], k = kernel): Shaped {
  const step: Step = {
    kernel: k,
    args: [{ slot: 0 }, ...numbers(d)],
    out: 1,
    node: { id: 'n', op: 'matmul' },
    size: 2 * d,
    dynamic: true,
    classed: false,
    loops: [{ bound: { arg: 1 }, step: 1 }],
  };
  return { plan: { steps: [step], slots: 2 }, outputs: [{ shape: [1, d, 4] }] };
}

/** Follows d = from, from + 1, ... to; returns the d at which a plan was recorded. */
function walk(
  from: number,
  to: number,
  numbers: (d: number) => number[],
  start?: Template<Shaped>,
) {
  let t = start;
  const recorded: number[] = [];
  for (let d = from; d <= to; d++) {
    const got = follow(
      t,
      d,
      () => {
        recorded.push(d);
        return planAt(d, numbers, d <= 4 && numbers === changing ? other : kernel);
      },
      limits,
    );
    t = got.template;
    // Derived or recorded, the plan is the one recording at d gives.
    expect(got.plan.plan.steps[0].args).toEqual(planAt(d, numbers).plan.steps[0].args);
    expect(got.plan.plan.steps[0].size).toBe(2 * d);
    expect(got.plan.outputs[0].shape).toEqual([1, d, 4]);
  }
  return { recorded, template: t };
}

const affine = (d: number) => [d, 4 * d + 3, 7];
const changing = (d: number) => [d, 2 * d, 2];

test('plans are recorded at three cache lengths, then derived', () => {
  const { recorded, template } = walk(3, 40, affine);
  expect(recorded).toEqual([3, 4, 5]);
  expect(template?.verified).toBe(true);
  // Below the first recording (a reset to a shorter prompt) plans are recorded again.
  expect(walk(1, 6, affine, template).recorded).toEqual([1, 2]);
});

test('numbers that are not affine in the cache length are never derived', () => {
  expect(walk(2, 12, (d) => [d, d * d]).recorded).toHaveLength(11);
  expect(walk(2, 12, (d) => [d, 2 ** 20 - d]).recorded).toHaveLength(11);
});

test('a kernel that changes with the cache length restarts the fit from there', () => {
  // Another kernel up to d = 4 (as where a dim of 1 drops a coordinate): the check at 5 fails,
  // a fit starts at 5 and holds from 7.
  expect(walk(3, 20, changing).recorded).toEqual([3, 4, 5, 6, 7]);
});

test('a derived plan is checked against the limits: a loop past maxLoop is refused', () => {
  const { template } = walk(3, 6, affine);
  const low = { ...limits, maxLoop: 100 };
  expect(() => follow(template, 99, () => planAt(99, affine), low)).not.toThrow();
  expect(() => follow(template, 101, () => planAt(101, affine), low)).toThrow(
    /loop of 101 iterations/,
  );
});
