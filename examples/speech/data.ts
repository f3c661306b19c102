// Spoken digits "zero" to "nine" synthesised with Debian's espeak-ng in several accents, voice
// variants, speeds and pitches, and log-mel features computed here in TypeScript.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import FFT from 'fft.js';
import { ensureDebianPackages, run } from '../shared/system.ts';

export const WORDS = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
];
export const ACCENTS = [
  'en-us',
  'en-gb',
  'en-gb-scotland',
  'en-gb-x-rp',
  'en-gb-x-gbclan',
  'en-us-nyc',
  'en-029',
  'en-gb-x-gbcwmd',
];
export const VARIANTS = ['m1', 'm2', 'm3', 'f1', 'f2', 'f3', 'm4', 'f4'];
/** Voices never heard in training: two whole accents, and two variants in every accent. */
export const HELD_OUT = { accents: ['en-029', 'en-gb-x-gbcwmd'], variants: ['m4', 'f4'] };

export interface Utterance {
  word: number;
  accent: string;
  variant: string;
  speed: number;
  pitch: number;
}

export function ensureEspeak(): void {
  ensureDebianPackages([{ binary: '/usr/bin/espeak-ng', names: ['espeak-ng'] }]);
  run('espeak-ng', ['--version']);
}

export function utterances(speeds = [130, 175], pitches = [35, 65]): Utterance[] {
  const out: Utterance[] = [];
  for (const accent of ACCENTS)
    for (const variant of VARIANTS)
      for (const speed of speeds)
        for (const pitch of pitches)
          for (let word = 0; word < 10; word++) out.push({ word, accent, variant, speed, pitch });
  return out;
}

export function isHeldOut(u: Utterance): boolean {
  return HELD_OUT.accents.includes(u.accent) || HELD_OUT.variants.includes(u.variant);
}

/** Reads 16-bit PCM mono WAV bytes into samples in [-1, 1) and the sample rate. */
export function parseWav(bytes: Uint8Array): { samples: Float32Array; sampleRate: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));
  if (tag(0) !== 'RIFF' || tag(8) !== 'WAVE') throw new Error('not a RIFF/WAVE file');
  let at = 12;
  let sampleRate = 0;
  let bits = 0;
  let channels = 0;
  while (at + 8 <= bytes.length) {
    const id = tag(at);
    let size = view.getUint32(at + 4, true);
    if (id === 'fmt ') {
      channels = view.getUint16(at + 10, true);
      sampleRate = view.getUint32(at + 12, true);
      bits = view.getUint16(at + 22, true);
    } else if (id === 'data') {
      // espeak-ng writing to stdout cannot seek back, so the size may be a placeholder.
      size = Math.min(size, bytes.length - at - 8);
      if (bits !== 16 || channels !== 1)
        throw new Error(`expected 16-bit mono PCM, got ${bits}-bit × ${channels}`);
      const n = Math.floor(size / 2);
      const samples = new Float32Array(n);
      for (let i = 0; i < n; i++) samples[i] = view.getInt16(at + 8 + 2 * i, true) / 32768;
      return { samples, sampleRate };
    }
    at += 8 + size + (size % 2);
  }
  throw new Error('no data chunk');
}

function wavFile(u: Utterance, cacheDir: string): string {
  return join(cacheDir, `${u.accent}+${u.variant}-s${u.speed}-p${u.pitch}-${WORDS[u.word]}.wav`);
}

function espeakArgs(u: Utterance, file: string): string[] {
  const voice = `${u.accent}+${u.variant}`;
  return ['-v', voice, '-s', String(u.speed), '-p', String(u.pitch), '-w', file, WORDS[u.word]];
}

/** Synthesises every utterance not yet in the cache, `concurrency` espeak-ng processes at a time. */
export async function synthesizeAll(
  us: Utterance[],
  cacheDir: string,
  concurrency = 4,
  onDone?: (done: number, total: number) => void,
): Promise<void> {
  mkdirSync(cacheDir, { recursive: true });
  const todo = us.filter((u) => !existsSync(wavFile(u, cacheDir)));
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < todo.length) {
      const u = todo[next++];
      const file = wavFile(u, cacheDir);
      await new Promise<void>((resolve, reject) => {
        const p = spawn('espeak-ng', espeakArgs(u, `${file}.part`), {
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        let err = '';
        p.stderr.on('data', (d) => {
          err += d;
        });
        p.on('error', reject);
        p.on('close', (code) =>
          code === 0 ? resolve() : reject(new Error(`espeak-ng failed for ${file}: ${err}`)),
        );
      });
      renameSync(`${file}.part`, file); // a killed run leaves no truncated file in the cache
      onDone?.(++done, todo.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, todo.length) }, worker));
}

export function synthesize(
  u: Utterance,
  cacheDir: string,
): { samples: Float32Array; sampleRate: number } {
  mkdirSync(cacheDir, { recursive: true });
  const file = wavFile(u, cacheDir);
  if (!existsSync(file)) {
    const r = spawnSync('espeak-ng', espeakArgs(u, file));
    if (r.status !== 0) throw new Error(`espeak-ng failed for ${file}: ${r.stderr}`);
  }
  return parseWav(new Uint8Array(readFileSync(file)));
}

const hzToMel = (f: number) => 2595 * Math.log10(1 + f / 700);
const melToHz = (m: number) => 700 * (10 ** (m / 2595) - 1);

export interface MelOptions {
  fftSize: number;
  hop: number;
  bands: number;
  frames: number;
  fMin: number;
  fMax: number;
}

export const defaultMel: MelOptions = {
  fftSize: 512,
  hop: 220,
  bands: 40,
  frames: 100,
  fMin: 60,
  fMax: 8000,
};

/** Triangular mel filters over the FFT bins [0, fftSize/2]. */
export function melFilters(sampleRate: number, o: MelOptions): Float64Array[] {
  const bins = o.fftSize / 2 + 1;
  const lo = hzToMel(o.fMin);
  const hi = hzToMel(o.fMax);
  const centres = Array.from(
    { length: o.bands + 2 },
    (_, i) => (melToHz(lo + ((hi - lo) * i) / (o.bands + 1)) * o.fftSize) / sampleRate,
  );
  return Array.from({ length: o.bands }, (_, b) => {
    const f = new Float64Array(bins);
    const [l, c, r] = [centres[b], centres[b + 1], centres[b + 2]];
    for (let k = 0; k < bins; k++) {
      if (k > l && k <= c) f[k] = (k - l) / (c - l);
      else if (k > c && k < r) f[k] = (r - k) / (r - c);
    }
    return f;
  });
}

/** Raw log-mel frames: Hann window of fftSize, hop samples, power spectrum, mel filters, log(energy + 1e-6). */
function melFrames(samples: Float32Array, sampleRate: number, o: MelOptions): Float64Array[] {
  const fft = new FFT(o.fftSize);
  const window = Float64Array.from(
    { length: o.fftSize },
    (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / o.fftSize),
  );
  const filters = melFilters(sampleRate, o);
  const count = Math.max(1, Math.floor((samples.length - o.fftSize) / o.hop) + 1);
  const frames: Float64Array[] = [];
  const input = new Array<number>(o.fftSize).fill(0);
  const spectrum = fft.createComplexArray() as number[];
  for (let t = 0; t < count; t++) {
    for (let i = 0; i < o.fftSize; i++) input[i] = (samples[t * o.hop + i] ?? 0) * window[i];
    fft.realTransform(spectrum, input);
    fft.completeSpectrum(spectrum);
    const power = new Float64Array(o.fftSize / 2 + 1);
    for (let k = 0; k < power.length; k++)
      power[k] = spectrum[2 * k] ** 2 + spectrum[2 * k + 1] ** 2;
    frames.push(
      Float64Array.from(filters, (f) =>
        Math.log(f.reduce((s, w, k) => s + w * power[k], 0) + 1e-6),
      ),
    );
  }
  return frames;
}

/** rows[t][b] as [bands, rows.length], each band normalised to zero mean and unit variance. */
function normalisedBands(rows: ArrayLike<number>[], bands: number): Float32Array {
  const n = rows.length;
  const out = new Float32Array(bands * n);
  for (let b = 0; b < bands; b++) {
    let mean = 0;
    for (const r of rows) mean += r[b] / n;
    let variance = 0;
    for (const r of rows) variance += (r[b] - mean) ** 2 / n;
    const sd = Math.sqrt(variance) || 1;
    rows.forEach((r, t) => {
      out[b * n + t] = (r[b] - mean) / sd;
    });
  }
  return out;
}

/**
 * Log-mel features [bands, frames] (see melFrames), cropped or padded (with the quietest value)
 * to `frames`, then normalised per band to zero mean and unit variance over those frames: the
 * fixed-length features of the `--padded` mode.
 */
export function logMel(
  samples: Float32Array,
  sampleRate: number,
  o: MelOptions = defaultMel,
): Float32Array {
  const frames = melFrames(samples, sampleRate, o);
  let floor = Number.POSITIVE_INFINITY;
  for (const f of frames) for (const v of f) floor = Math.min(floor, v);
  const quiet = new Float64Array(o.bands).fill(floor);
  const rows = Array.from({ length: o.frames }, (_, t) => frames[t] ?? quiet);
  return normalisedBands(rows, o.bands);
}

/**
 * The utterance's own frames, at most `o.frames` (longer ones are cropped): log-mel features
 * [bands, n], each band normalised over those n frames only, so no padding enters the statistics.
 */
export function logMelOwnLength(
  samples: Float32Array,
  sampleRate: number,
  o: MelOptions = defaultMel,
): { features: Float32Array; frames: number } {
  const rows = melFrames(samples, sampleRate, o).slice(0, o.frames);
  return { features: normalisedBands(rows, o.bands), frames: rows.length };
}

/**
 * Utterances of their own lengths as one padded batch [n, bands, T] with T the longest: row i
 * holds its frames first and zeros after them (what the model's lengths input says to ignore).
 */
export function padBatch(
  items: { features: Float32Array; frames: number }[],
  bands: number,
): { data: Float32Array; lengths: Int32Array; frames: number } {
  const frames = Math.max(...items.map((x) => x.frames));
  const data = new Float32Array(items.length * bands * frames);
  items.forEach((x, i) => {
    for (let b = 0; b < bands; b++)
      data.set(x.features.subarray(b * x.frames, (b + 1) * x.frames), (i * bands + b) * frames);
  });
  return { data, lengths: Int32Array.from(items, (x) => x.frames), frames };
}

export function writeJson(path: string, value: unknown): void {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}
