// A training progress bar on stderr: step/total, epoch, loss (smoothed) and examples per second.
// Redrawn in place on a terminal; a line every few seconds otherwise, so logs stay readable.
import type { Progress } from './train.ts';

export function trainingProgress(
  label: string,
  totalSteps: number,
  intervalMs = 5000,
): { onProgress: (p: Progress) => void; done: () => void } {
  const stream = process.stderr;
  const width = 24;
  let smoothed = Number.NaN;
  let last = 0;
  let line = '';
  const render = (p: Progress): string => {
    const frac = Math.min(p.step / totalSteps, 1);
    const filled = Math.round(frac * width);
    return `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.step}/${totalSteps} epoch ${p.epoch} loss ${smoothed.toFixed(4)} ${p.examplesPerSecond.toFixed(0)} ex/s`;
  };
  return {
    onProgress(p) {
      smoothed = Number.isNaN(smoothed) ? p.loss : 0.9 * smoothed + 0.1 * p.loss;
      line = render(p);
      const now = Date.now();
      if (stream.isTTY) stream.write(`\r\x1b[K${line}`);
      else if (now - last >= intervalMs || p.step === totalSteps) {
        stream.write(`${line}\n`);
        last = now;
      }
    },
    done() {
      if (stream.isTTY && line !== '') stream.write('\n');
    },
  };
}
