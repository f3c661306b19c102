import { spawnSync } from 'node:child_process';
import { buildPreset } from '@tessera/spec';
import { describe, expect, it } from 'vitest';
import { BIN, STACK_FRAME, workdir } from './helpers.js';

const w = workdir();

describe('tessera validate', () => {
  it('prints ok and exits 0 for a valid spec', () => {
    w.write('ok.json', JSON.stringify(buildPreset('rnnClassifier')));
    const r = w.tessera('validate', 'ok.json');
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('ok');
    expect(r.status).toBe(0);
  });

  it('refuses fixed shapes whose attention scores are over the activation limit, as run would', () => {
    // [1, 16384, 8] into 2 heads: the outputs are 131,072 elements, the scores 2·16384² = 5.4e8.
    w.write(
      'big-attention.json',
      JSON.stringify({
        format: 'tessera.model/v1',
        inputs: { x: { dtype: 'float32', shape: [1, 16384, 8] } },
        outputs: { y: 'mha' },
        nodes: [{ id: 'mha', op: 'multiHeadAttention', embedDim: 8, numHeads: 2 }],
      }),
    );
    const r = w.tessera('validate', 'big-attention.json');
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /mha: would hold 536,870,912 elements \[1, 2, 16384, 16384\] \(inside its sub-node mha\.scores, matmul\)/,
    );
    expect(r.status).toBe(1);
  });

  it('reads the spec from stdin with -', () => {
    const r = spawnSync(process.execPath, [BIN, 'validate', '-'], {
      input: JSON.stringify(buildPreset('charRnnLM')),
      encoding: 'utf8',
    });
    expect(r.stdout.trim()).toBe('ok');
    expect(r.status).toBe(0);
  });

  it('reports a malformed JSON file on one line, exit 1, no stack', () => {
    w.write('broken.json', '{"format": "tessera.model/v1", "inputs": {');
    const r = w.tessera('validate', 'broken.json');
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: broken\.json: \(spec\): is not valid JSON/m);
    expect(r.stderr).not.toMatch(STACK_FRAME);
  });

  it('prints every issue as path: message', () => {
    // Two independent schema problems: an unknown op and an attribute linear does not have.
    w.write(
      'invalid.json',
      JSON.stringify({
        format: 'tessera.model/v1',
        inputs: { x: { dtype: 'float32', shape: ['batch', 3] } },
        outputs: { y: 'b' },
        nodes: [
          { id: 'a', op: 'linear', inFeatures: 3, outFeatures: 4, numHeads: 2 },
          { id: 'b', op: 'convolve' },
        ],
      }),
    );
    const r = w.tessera('validate', 'invalid.json');
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(
      lines.some(
        (l) =>
          l.startsWith('error: invalid.json: nodes[0].numHeads: ') &&
          l.includes('not an attribute'),
      ),
    ).toBe(true);
    expect(
      lines.some(
        (l) => l.startsWith('error: invalid.json: nodes[1].op: ') && l.includes('"convolve"'),
      ),
    ).toBe(true);
    expect(r.stderr).not.toMatch(STACK_FRAME);
  });

  it('reports graph errors (a width mismatch) with the attribute path', () => {
    w.write(
      'width.json',
      JSON.stringify({
        format: 'tessera.model/v1',
        inputs: { x: { dtype: 'float32', shape: ['batch', 3] } },
        outputs: { y: 'b' },
        nodes: [
          { id: 'a', op: 'linear', inFeatures: 3, outFeatures: 4 },
          { id: 'b', op: 'linear', inFeatures: 5, outFeatures: 2 },
        ],
      }),
    );
    const r = w.tessera('validate', 'width.json');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^error: width\.json: nodes\[1\]\.inFeatures: .*4/m);
  });

  it('shows the stack only with --debug', () => {
    const r = w.tessera('validate', 'broken.json', '--debug');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(STACK_FRAME);
  });

  it('names a missing file and exits 1', () => {
    const r = w.tessera('validate', 'nope.json');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^error: nope\.json: cannot read: no such file$/m);
  });

  it('is a usage error (exit 2) without a file', () => {
    const r = w.tessera('validate');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('missing <spec.json>');
    expect(r.stderr).toContain('tessera validate --help');
  });
});
