// A progress bar on stderr: redrawn in place on a terminal, a line every few seconds otherwise
// (so that logs and CI output stay readable).
import type { Stream } from './io.js';

export interface ProgressBar {
  update(done: number, detail: string): void;
  finish(detail: string): void;
}

export function progressBar(
  stream: Stream,
  total: number,
  width = 24,
  intervalMs = 2000,
): ProgressBar {
  let lastLine = 0;
  const render = (done: number, detail: string): string => {
    const frac = total > 0 ? Math.min(done / total, 1) : 1;
    const filled = Math.round(frac * width);
    return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.floor(frac * 100)).padStart(3)}% ${detail}`;
  };
  return {
    update(done, detail) {
      if (stream.isTTY) stream.write(`\r\x1b[K${render(done, detail)}`);
      else {
        const now = Date.now();
        if (now - lastLine >= intervalMs) {
          stream.write(`${render(done, detail)}\n`);
          lastLine = now;
        }
      }
    },
    finish(detail) {
      stream.write(`${stream.isTTY ? '\r\x1b[K' : ''}${render(total, detail)}\n`);
    },
  };
}
