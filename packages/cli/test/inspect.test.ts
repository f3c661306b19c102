import { buildPreset, inferShapes, parameterCount } from '@tessera/spec';
import { describe, expect, it } from 'vitest';
import { workdir } from './helpers.js';

const w = workdir();

/** The table rows of inspect's output, split on runs of two or more spaces. */
function rows(stdout: string): string[][] {
  const lines = stdout.split('\n');
  const start = lines.findIndex((l) => l.startsWith('----'));
  const end = lines.findIndex((l) => l.startsWith('total parameters'));
  return lines.slice(start + 1, end).map((l) => l.trim().split(/\s{2,}/));
}

describe('tessera inspect', () => {
  it('lists a small spec with hand-counted parameters', () => {
    w.write(
      'mlp.json',
      JSON.stringify({
        format: 'tessera.model/v1',
        inputs: { x: { dtype: 'float32', shape: ['batch', 3] } },
        outputs: { y: 'out' },
        nodes: [
          { id: 'hidden', op: 'linear', inFeatures: 3, outFeatures: 4 },
          { id: 'act', op: 'relu' },
          { id: 'out', op: 'linear', inFeatures: 4, outFeatures: 2, bias: false },
        ],
      }),
    );
    const r = w.tessera('inspect', 'mlp.json');
    expect(r.status).toBe(0);
    // hidden: 3·4 weights + 4 biases = 16; out: 4·2 = 8, no bias; total 24.
    expect(rows(r.stdout)).toEqual([
      ['hidden', 'linear', 'x', '[batch, 4]', '16'],
      ['act', 'relu', 'hidden', '[batch, 4]', '0'],
      ['out', 'linear', 'act', '[batch, 2]', '8'],
    ]);
    expect(r.stdout).toContain('total parameters: 24');
  });

  it('binds symbolic dims with --bind and agrees with the spec library on a preset', () => {
    const spec = buildPreset('transformerLM');
    w.write('gpt.json', JSON.stringify(spec));
    const r = w.tessera('inspect', 'gpt.json', '--bind', 'batch=2,time=5');
    expect(r.status).toBe(0);
    const shapes = inferShapes(spec, { batch: 2, time: 5 });
    expect(rows(r.stdout)).toEqual(
      spec.nodes.map((n) => [
        n.id,
        n.op,
        n.input.join(', '),
        `[${shapes.get(n.id)!.shape.join(', ')}]`,
        parameterCount(spec, n.id).toLocaleString('en-US'),
      ]),
    );
    expect(r.stdout).toContain(`total parameters: ${parameterCount(spec).toLocaleString('en-US')}`);
  });

  it('rejects a malformed --bind as a usage error', () => {
    const r = w.tessera('inspect', 'gpt.json', '--bind', 'batch=two');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--bind expects name=size');
  });

  it('an unknown --bind name is a usage error listing the spec dims', () => {
    const r = w.tessera('inspect', 'gpt.json', '--bind', 'batch=2,tiem=5');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      "--bind tiem: not a dim of the spec's inputs (its symbolic dims: batch, time)",
    );
  });

  it('reports bindings that break a shape rule as spec errors', () => {
    // A learned positional embedding of maxLength 64 cannot take time = 65.
    const r = w.tessera('inspect', 'gpt.json', '--bind', 'time=65');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^error: gpt\.json: nodes\[\d+\]/m);
  });
});
