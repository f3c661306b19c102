// The reference's NaN/±Inf semantics against PyTorch's: every catalogue case with NaN or ±Inf
// in its inputs (`special`) is evaluated by the reference and compared with what PyTorch
// computed on the same spec, weights and inputs (test/fixtures/special-torch.py, whose header
// says how to regenerate the fixture; this test needs no torch). A NaN must be a NaN and an
// infinity the same infinity, element by element; finite values agree to float64 rounding.
import { readFileSync } from 'node:fs';
import { createBackend } from '@tessera/backend-reference';
import { describe, expect, it } from 'vitest';
import { materialise } from '../src/case.js';
import { catalogue } from '../src/cases/index.js';
import { decodeValue, digest, type Stored } from './fixtures/special-digest.js';

interface Fixture {
  torch: string;
  cases: Record<
    string,
    { digest: string; outputs: Record<string, { shape: number[]; data: Stored[] }> }
  >;
}

const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/special-torch.generated.json', import.meta.url), 'utf8'),
) as Fixture;

/** ±inf into tanh and σ gates: ±1, 0 or 1, so these cases' outputs are finite (recurrent.ts). */
const saturating = new Set(['rnn/inf-input', 'lstm/inf-input', 'gru/inf-input']);

const special = catalogue.filter((c) => c.special !== undefined);

/** Both sides are float64, so they differ only by the order of their sums. */
const close = (got: number, want: number) => Math.abs(got - want) <= 1e-9 + 1e-9 * Math.abs(want);

/** `''` where got and want agree, else the first element that does not, described. */
function disagreement(got: Float64Array, want: number[]): string {
  for (let i = 0; i < want.length; i++) {
    const g = got[i];
    const w = want[i];
    const same = Number.isFinite(w)
      ? Number.isFinite(g) && close(g, w)
      : Object.is(g, w) || (Number.isNaN(g) && Number.isNaN(w));
    if (!same) return `element ${i}: reference ${g}, torch ${w}`;
  }
  return '';
}

describe(`NaN and ±Inf as PyTorch (torch ${fixture.torch}) computes them`, () => {
  it('has a fixture entry for every case with special values, and none other', () => {
    expect(Object.keys(fixture.cases).sort()).toEqual(special.map((c) => c.id).sort());
  });

  for (const c of special) {
    it(c.id, async () => {
      const stored = fixture.cases[c.id];
      expect(stored, `${c.id}: regenerate the fixture`).toBeDefined();
      const m = materialise(c);
      expect(digest(m), `${c.id}: the fixture was made from other tensors; regenerate it`).toBe(
        stored.digest,
      );
      const model = await (await createBackend()).compile(m.spec, m.weights);
      const outputs = model.runFloat64(m.inputs);
      await model.dispose();
      expect(Object.keys(outputs).sort()).toEqual(Object.keys(stored.outputs).sort());
      for (const [name, want] of Object.entries(stored.outputs)) {
        expect(outputs[name].shape, `${c.id} output ${name}`).toEqual(want.shape);
        const values = want.data.map(decodeValue);
        expect(disagreement(outputs[name].data, values), `${c.id} output ${name}`).toBe('');
      }
      // Each case is there to hold non-finite outputs, but for the tanh cells' saturation.
      const all = Object.values(outputs).flatMap((o) => [...o.data]);
      expect(all.some((v) => !Number.isFinite(v)) || saturating.has(c.id), c.id).toBe(true);
    });
  }
});
