// Builds the page once when dist/page is missing, so `vitest run` works in a fresh checkout.
// Without Chromium the browser test skips, and building would be wasted time.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildPage, defaultPageDir } from '../scripts/build-page.ts';
import { defaultChromium } from '../src/chromium.ts';

export default async function setup(): Promise<void> {
  const chromium = process.env.TESSERA_CHROMIUM ?? defaultChromium;
  if (!existsSync(chromium) || existsSync(join(defaultPageDir, 'index.html'))) return;
  await buildPage(defaultPageDir);
}
