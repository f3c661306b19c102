import { describe, expect, it } from 'vitest';
import { catalogue } from './cases/index.js';
import { randomCase } from './random.js';
import { caseById, selectCases } from './select.js';

describe('selecting cases', () => {
  it('matches exact ids and globs, in catalogue order, once each', () => {
    const ids = selectCases(['lstm/basic', 'relu/*', 'lstm/*']).map((c) => c.id);
    expect(ids[0]).toBe('relu/basic');
    expect(ids.filter((id) => id === 'lstm/basic')).toHaveLength(1);
    expect(ids).toEqual(
      catalogue
        .filter((c) => c.id.startsWith('relu/') || c.id.startsWith('lstm/'))
        .map((c) => c.id),
    );
    expect(selectCases(['*/time1']).map((c) => c.id)).toContain('gru/time1');
  });

  it('draws random cases again from their ids', () => {
    const again = caseById('random/42-3')!;
    expect(JSON.stringify(again.spec())).toBe(JSON.stringify(randomCase(42, 3).spec()));
    expect(selectCases(['random/42-3']).map((c) => c.id)).toEqual(['random/42-3']);
  });

  it('refuses a pattern that matches nothing', () => {
    expect(() => selectCases(['lstm/nope'])).toThrow(/no conformance case has the id "lstm\/nope"/);
    expect(() => selectCases(['nope/*'])).toThrow(/no conformance case matches "nope\/\*"/);
  });
});
