import { describe, expect, test } from 'vitest';
import { defaultMel, logMel, logMelOwnLength, melFilters, padBatch, parseWav } from './data.ts';

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

  test("own-length features: an utterance's frames only, normalised over them; a batch padded with zeros", () => {
    const rate = 16000;
    const o = { ...defaultMel, frames: 50 };
    const tone = (seconds: number) =>
      Float32Array.from(
        { length: Math.round(rate * seconds) },
        (_, i) => Math.sin((2 * Math.PI * 700 * i) / rate) * (1 + i / rate),
      );
    // floor((n − 512) / 220) + 1 frames for n samples.
    const short = logMelOwnLength(tone(0.2), rate, o);
    const long = logMelOwnLength(tone(0.4), rate, o);
    expect(short.frames).toBe(Math.floor((3200 - 512) / 220) + 1); // 13
    expect(long.frames).toBe(Math.floor((6400 - 512) / 220) + 1); // 27
    expect(logMelOwnLength(tone(2), rate, o).frames).toBe(50); // cropped at o.frames
    for (let b = 0; b < o.bands; b++) {
      const row = short.features.subarray(b * short.frames, (b + 1) * short.frames);
      const mean = row.reduce((s, v) => s + v, 0) / row.length;
      expect(Math.abs(mean)).toBeLessThan(1e-5);
    }
    const batch = padBatch([short, long], o.bands);
    expect(batch.frames).toBe(27);
    expect([...batch.lengths]).toEqual([13, 27]);
    // Row 0, band 3: its 13 frames, then 14 zeros.
    const band3 = batch.data.subarray(3 * 27, 4 * 27);
    expect([...band3.subarray(0, 13)]).toEqual([...short.features.subarray(3 * 13, 4 * 13)]);
    expect([...band3.subarray(13)]).toEqual(new Array(14).fill(0));
    expect([...batch.data.subarray(o.bands * 27, o.bands * 27 + 27)]).toEqual([
      ...long.features.subarray(0, 27),
    ]);
  });
});
