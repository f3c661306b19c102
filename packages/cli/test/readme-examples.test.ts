// Every ```ts block of the root README and of every package README runs here, as written, with
// tsx against the workspace's sources (the `@tessera/source` condition), so that no example rots.
// A block runs in a fresh temporary folder inside this package (so that `@tessera/*` resolve)
// and must exit 0. Two markers, an HTML comment on the line before the fence:
//   <!-- example: continues -->            the block runs after the previous one, in one file
//   <!-- example: not run (reason) -->     the block is not run; the reason must be given
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');

interface Example {
  /** `README.md:14`: the file and the line of the block's fence. */
  where: string;
  code: string;
}

/** The runnable examples of a Markdown text; `skipped` lists the others with their reasons. */
function extractExamples(
  markdown: string,
  file: string,
): { examples: Example[]; skipped: { where: string; reason: string }[] } {
  const lines = markdown.split('\n');
  const examples: Example[] = [];
  const skipped: { where: string; reason: string }[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]?.trim() !== '```ts') continue;
    const end = lines.findIndex((l, k) => k > i && l.trim() === '```');
    if (end < 0) throw new Error(`${file}:${i + 1}: a \`\`\`ts block is never closed`);
    const code = lines.slice(i + 1, end).join('\n');
    const where = `${file}:${i + 1}`;
    const marker = /^<!-- example: (.*) -->$/.exec(lines[i - 1]?.trim() ?? '')?.[1];
    if (marker?.startsWith('not run')) {
      const reason = /^not run \((.+)\)$/.exec(marker)?.[1]?.trim();
      if (!reason) throw new Error(`${where}: "not run" needs a reason: not run (why)`);
      skipped.push({ where, reason });
    } else if (marker === 'continues') {
      const previous = examples.at(-1);
      if (previous === undefined) throw new Error(`${where}: "continues" but no block before it`);
      previous.code += `\n// ${where}\n${code}`;
    } else if (marker !== undefined) {
      throw new Error(`${where}: unknown marker "${marker}" (continues, or not run (reason))`);
    } else {
      examples.push({ where, code });
    }
    i = end;
  }
  return { examples, skipped };
}

const readmes = [
  'README.md',
  ...readdirSync(join(root, 'packages'))
    .map((dir) => join('packages', dir, 'README.md'))
    .filter((file) => {
      try {
        readFileSync(join(root, file));
        return true;
      } catch {
        return false;
      }
    }),
];

const work = join(here, '..', 'test-output', 'readme-examples');
mkdirSync(work, { recursive: true });
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('extractExamples', () => {
  it('joins continued blocks, keeps reasons, and refuses a skip without one', () => {
    const md = [
      '```ts',
      'const a = 1;',
      '```',
      '<!-- example: continues -->',
      '```ts',
      'console.log(a);',
      '```',
      '<!-- example: not run (needs a browser) -->',
      '```ts',
      'document.title;',
      '```',
    ].join('\n');
    const { examples, skipped } = extractExamples(md, 'X.md');
    expect(examples).toEqual([
      { where: 'X.md:1', code: 'const a = 1;\n// X.md:5\nconsole.log(a);' },
    ]);
    expect(skipped).toEqual([{ where: 'X.md:9', reason: 'needs a browser' }]);
    expect(() => extractExamples('<!-- example: not run -->\n```ts\nx\n```', 'Y.md')).toThrow(
      /Y\.md:2: "not run" needs a reason/,
    );
  });
});

const extracted = readmes.map((file) => ({
  file,
  ...extractExamples(readFileSync(join(root, file), 'utf8'), file),
}));

// tsx strips types without checking them: tsc checks every example too, under the workspace's
// settings, so that an example calling an API with the wrong types is caught as well.
it('typechecks every example', { timeout: 240_000 }, () => {
  const dir = mkdtempSync(join(work, 'typecheck-'));
  const files = extracted
    .flatMap(({ examples }) => examples)
    .map(({ where, code }, k) => {
      const name = `example-${k}.mts`;
      writeFileSync(join(dir, name), `// ${where}\n${code}\n`);
      return name;
    });
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      extends: relative(dir, join(root, 'tsconfig.base.json')),
      compilerOptions: { noEmit: true },
      files,
    }),
  );
  const r = spawnSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', '.'], {
    cwd: dir,
    encoding: 'utf8',
  });
  // Name each error by its README line rather than by the temporary file.
  const named = r.stdout.replace(/example-(\d+)\.mts\((\d+),\d+\)/g, (_, k, line) => {
    const example = extracted.flatMap(({ examples }) => examples)[Number(k)];
    return `${example?.where} + ${Number(line) - 1} lines`;
  });
  expect(r.status, named).toBe(0);
});

for (const { file, examples, skipped } of extracted) {
  describe(file, () => {
    for (const { where, code } of examples) {
      it(`runs the example at ${where}`, { timeout: 240_000 }, () => {
        const dir = mkdtempSync(join(work, 'example-'));
        writeFileSync(join(dir, 'example.mts'), `${code}\n`);
        const r = spawnSync(tsx, ['--conditions=@tessera/source', 'example.mts'], {
          cwd: dir,
          encoding: 'utf8',
          timeout: 230_000,
        });
        const output = `${r.stdout}${r.stderr}`;
        expect(
          r.status,
          `${where} (in ${relative(root, dir)}) exited ${r.status}:\n${output}`,
        ).toBe(0);
        // An example that prints shows something: the reader is told what it gives.
        if (code.includes('console.log(')) expect(r.stdout.trim()).not.toBe('');
      });
    }
    for (const { where, reason } of skipped) it.skip(`${where}: not run (${reason})`, () => {});
  });
}
