// tanh and σ are written without an exponential that can overflow (stable.ts): GLSL and WGSL give
// NaN where e^(2x) passes float32's range, which cpu and webasm (IEEE infinities) would not show.
// So the forms are checked here twice: against the reference at large |x| on cpu and webasm (the
// conformance case edge/saturating-activations), and in the source, which must hold no built-in
// tanh and only exponentials of negated values.
import { caseById, materialise } from '@tessera/conformance';
import { expectOutputsConform } from '@tessera/conformance/vitest';
import { describe, expect, test } from 'vitest';
import { createBackend } from '../index.js';

const saturating = caseById('edge/saturating-activations')!;

describe.each(['cpu', 'webasm'] as const)('tanh and σ at large |x| (%s)', (variant) => {
  test('match the reference within the conformance tolerance, never NaN', async () => {
    const sources: string[] = [];
    const { spec, weights, inputs } = materialise(saturating);
    const model = await (await createBackend({ variant })).compile(spec, weights, {
      onKernelSource: (s: string) => sources.push(s),
    });
    const got = await model.run(inputs);
    await model.dispose();
    await expectOutputsConform(got, saturating, { label: `gpujs:${variant}` });

    expect(sources.length).toBeGreaterThan(5);
    for (const source of sources) {
      expect(source).not.toMatch(/Math\.tanh/);
      // Every exponential is of a negated value: e^(−2|x|), e^(−|x|), e^(−z²).
      for (const m of source.matchAll(/Math\.exp\(([^;]*)/g)) expect(m[1]).toMatch(/^-/);
    }
  });
});
