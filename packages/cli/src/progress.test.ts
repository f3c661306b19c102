import { describe, expect, it } from 'vitest';
import { progressBar } from './progress.js';

function capture(isTTY: boolean) {
  const out: string[] = [];
  return { stream: { isTTY, write: (s: string) => out.push(s) }, out };
}

describe('progressBar', () => {
  it('redraws one line in place on a terminal', () => {
    const { stream, out } = capture(true);
    const bar = progressBar(stream, 4, 8);
    bar.update(1, 'loss 2');
    bar.update(2, 'loss 1');
    bar.finish('loss 0.5');
    // 1 of 4 steps fills 2 of 8 cells; each redraw returns to the line start and clears it.
    expect(out).toEqual([
      '\r\x1b[K[##......]  25% loss 2',
      '\r\x1b[K[####....]  50% loss 1',
      '\r\x1b[K[########] 100% loss 0.5\n',
    ]);
  });

  it('writes whole lines, at most one per interval, elsewhere', () => {
    const { stream, out } = capture(false);
    const bar = progressBar(stream, 4, 4, 60_000);
    bar.update(1, 'a');
    bar.update(2, 'b'); // within the interval: dropped
    bar.finish('c');
    expect(out).toEqual(['[#...]  25% a\n', '[####] 100% c\n']);
  });
});
