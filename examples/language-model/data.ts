// The texts: the King James Version (1611, public domain) from Debian's `bible-kjv` and
// `bible-kjv-text` packages, and the World English Bible (public domain, "Copyright=PUBLIC DOMAIN"
// in its SWORD module) from Debian's `sword-text-web`, read with `diatheke`.
import { ensureDebianPackages, run } from '../shared/system.ts';

export function ensureTexts(): void {
  ensureDebianPackages([
    { binary: '/usr/bin/bible', names: ['bible-kjv', 'bible-kjv-text'] },
    { binary: '/usr/bin/diatheke', names: ['diatheke'] },
    { binary: '/usr/share/sword/mods.d/engWEB2015eb.conf', names: ['sword-text-web'] },
  ]);
}

/** KJV as running text: chapter headings and verse numbers removed, one verse per line. */
export function kjvText(): string {
  const raw = run('bible', ['Gen1:1-Rev22:21']);
  const verses: string[] = [];
  for (const line of raw.split('\n')) {
    const m = /^\s+\d+ (.*)$/.exec(line);
    if (m) verses.push(m[1]);
    else if (
      /^\S/.test(line) &&
      verses.length > 0 &&
      !/^[1-3]?\s?[A-Z][a-z]+( of [A-Z][a-z]+)? \d+$/.test(line)
    ) {
      verses[verses.length - 1] += ` ${line.trim()}`; // a verse wrapped onto the next line
    }
  }
  return `${verses.join('\n')}\n`;
}

/** The World English Bible's New Testament, one verse per line without references. */
export function webText(): string {
  const raw = run('diatheke', [
    '-b',
    'engWEB2015eb',
    '-f',
    'plain',
    '-k',
    'Matthew 1:1-Revelation 22:21',
  ]);
  const verses = raw
    .split('\n')
    .map((l) => /^[1-3]?\s?[A-Za-z ]+ \d+:\d+: (.*)$/.exec(l)?.[1]?.trim())
    .filter((v): v is string => v !== undefined && v.length > 0);
  return `${verses.join('\n')}\n`;
}

/** Contiguous train / validation / test split by characters (90 / 5 / 5 by default). */
export function splitText(
  text: string,
  validation = 0.05,
  test = 0.05,
): { train: string; validation: string; test: string } {
  const n = text.length;
  const a = Math.floor(n * (1 - validation - test));
  const b = Math.floor(n * (1 - test));
  return { train: text.slice(0, a), validation: text.slice(a, b), test: text.slice(b) };
}
