import { describe, expect, it } from 'vitest';
import { browserVariants, defaultBrowserBackends, parseBackendList } from './variants.js';

describe('parseBackendList', () => {
  it('splits on commas and spaces and drops repeats, keeping the order given', () => {
    expect(parseBackendList('tfjs:cpu, reference:f64 tfjs:cpu')).toEqual([
      'tfjs:cpu',
      'reference:f64',
    ]);
    expect(parseBackendList(['ort:wasm,tfjs:wasm', 'gpujs:webgl2'])).toEqual([
      'ort:wasm',
      'tfjs:wasm',
      'gpujs:webgl2',
    ]);
  });

  it('refuses an unknown label and names the known ones', () => {
    expect(() => parseBackendList('tfjs:cpu,ort:node')).toThrow(
      /unknown browser backend "ort:node"; known: reference:f64, /,
    );
  });

  it('defaults to known labels only', () => {
    expect(
      defaultBrowserBackends.every((l) => (browserVariants as readonly string[]).includes(l)),
    ).toBe(true);
  });
});
