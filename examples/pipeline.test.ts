// The three applications end to end in --quick mode (a few training steps): each command runs,
// writes weights that load against the spec saved beside them, and reports figures that are
// consistent across the backend variants. Checks the pipeline, not the full runs' figures.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadModel } from './shared/save.ts';

const here = new URL('.', import.meta.url).pathname;

// biome-ignore lint/suspicious/noExplicitAny: report.json read back; the assertions check its fields
type Report = Record<string, any>;

function quickRun(name: string): { out: string; stdout: string; report: Report } {
  const out = mkdtempSync(join(tmpdir(), `tessera-${name}-`));
  const r = spawnSync(
    join(here, 'node_modules/.bin/tsx'),
    [join(here, name, 'run.ts'), '--quick', '--out', out],
    { encoding: 'utf8', cwd: here, maxBuffer: 64 * 1024 * 1024 },
  );
  if (r.status !== 0)
    throw new Error(`${name} --quick exited ${r.status}:\n${r.stderr.slice(-3000)}`);
  return {
    out,
    stdout: r.stdout,
    report: JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')),
  };
}

const variants = [
  'reference:f64',
  'tfjs:cpu',
  'tfjs:wasm',
  'ort:node',
  'ort:wasm',
  'gpujs:cpu',
  'gpujs:webasm',
];

describe('examples --quick', () => {
  test('language model: three phases, perplexities on every variant agree to 3 significant figures', () => {
    const { out, report } = quickRun('language-model');
    const v = report.validation;
    expect(v.transformer.after).toBeLessThan(v.transformer.before);
    expect(v.lstm.after).toBeLessThan(v.lstm.before);
    expect(v.finetune.embedUnchanged).toBe(true);
    for (const key of ['transformerWeb', 'lstmKjv']) {
      const values = variants.map((label) => report.test[key][label]);
      for (const x of values)
        expect(typeof x, `${key}: ${JSON.stringify(report.test[key])}`).toBe('number');
      for (const x of values) expect(x.toPrecision(3)).toBe(values[0].toPrecision(3));
    }
    expect(report.sample.length).toBeGreaterThan(20);
    for (const name of ['transformer-kjv', 'lstm-kjv', 'transformer-web']) {
      const { spec, metadata } = loadModel(out, name);
      expect(JSON.parse(metadata['tessera.spec'])).toEqual(JSON.parse(JSON.stringify(spec)));
    }
  });

  test('mnist: every variant predicts the same digits; confusion matrix SVG written', () => {
    const { out, report, stdout } = quickRun('mnist');
    const accuracies = variants.map((label) => report.accuracy[label]);
    for (const a of accuracies) expect(typeof a, JSON.stringify(report.accuracy)).toBe('number');
    expect(new Set(accuracies).size).toBe(1);
    expect(stdout).toContain(`${report.test}/${report.test} |`); // predictions equal to the first variant's
    const total = report.confusion.flat().reduce((a: number, b: number) => a + b, 0);
    expect(total).toBe(report.test);
    const svg = readFileSync(join(out, 'confusion.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<rect x=/g)).toHaveLength(100);
    loadModel(out, 'mnist-cnn');
  });

  test('speech: CTC training runs, held-out voices decoded, metrics in range', () => {
    const { out, report } = quickRun('speech');
    expect(report.test).toBeGreaterThan(0);
    expect(report.heldOut.accuracy).toBeGreaterThanOrEqual(0);
    expect(report.heldOut.accuracy).toBeLessThanOrEqual(1);
    expect(report.heldOut.perClass).toHaveLength(10);
    expect(
      report.heldOut.perClass.reduce((s: number, c: { support: number }) => s + c.support, 0),
    ).toBe(report.test);
    expect(typeof report.byVariant['ort:node']).toBe('number');
    expect(report.byVariant['ort:node']).toBe(report.byVariant['tfjs:cpu']);
    loadModel(out, 'speech-ctc');
  });
});
