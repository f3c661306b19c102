import type { Backend } from '@tessera/spec';
import { flag, int, list, str } from '../args.js';
import {
  type BackendLabel,
  formatLabel,
  nodeVariantsOf,
  parseBackendLabel,
  type Resolver,
} from '../backends.js';
import type { Command } from '../command.js';
import { CliError, EXIT_FAILURE, EXIT_OK, UsageError } from '../errors.js';
import { type Io, print, writeFile } from '../io.js';

/** Called after each cell of the matrix. */
type ProgressFn = (
  done: number,
  total: number,
  cell?: { backend?: string; caseId?: string; status?: string },
) => void;

/** The parts of @tessera/conformance this command uses. */
interface ConformanceModule {
  catalogue: { id: string }[];
  randomCases(count: number, seed: number): { id: string }[];
  runConformance(options: {
    cases: { id: string }[];
    backends: { label: string; create: () => Promise<Backend> }[];
    onProgress?: ProgressFn;
  }): Promise<unknown>;
  renderTerminal(report: unknown, options?: { color?: boolean }): string;
  renderMarkdown(report: unknown): string;
  reportToJSON(report: unknown): unknown;
  exitCode(
    report: unknown,
    options?: { failOnUnavailable?: boolean; failOnUnexpectedPass?: boolean },
  ): number;
}

/** The parts of @tessera/conformance-browser this command uses. */
interface BrowserModule {
  runBrowserConformance(options: {
    backends?: string[];
    cases?: string;
    onProgress?: ProgressFn;
  }): Promise<{ browser?: { version: string; webgl2: string; webgpu: string } }>;
}

async function importModule<T>(specifier: string, what: string): Promise<T> {
  try {
    return (await import(specifier)) as T;
  } catch (e) {
    throw new CliError(
      `${what} needs ${specifier}, which could not be loaded (is it built?): ${(e as Error).message}`,
    );
  }
}

/** `lstm/*,preset/*` → a predicate on case ids; `*` matches any run of characters. */
export function caseFilter(globs: string[]): (id: string) => boolean {
  if (globs.length === 0) return () => true;
  const res = globs.map(
    (g) =>
      new RegExp(
        `^${g
          .split('*')
          .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
          .join('.*')}$`,
      ),
  );
  return (id) => res.some((re) => re.test(id));
}

/**
 * The backend variants to run: those named, or every node variant of every installed backend
 * except the reference (the oracle that the others are compared with).
 */
export async function backendList(
  resolver: Resolver,
  named: string[],
): Promise<{ label: string; create: () => Promise<Backend> }[]> {
  let labels: BackendLabel[];
  if (named.length > 0) {
    labels = named.map((n) => parseBackendLabel(n, 'conformance'));
    // A misspelt name is a usage error, not a quietly unavailable column.
    const installed = resolver.installed();
    const unknown = labels.filter((l) => !installed.includes(l.name));
    if (unknown.length > 0) {
      throw new UsageError(
        `unknown backend ${unknown.map((l) => JSON.stringify(l.name)).join(', ')} (available: ${installed.join(', ') || 'none'})`,
        'conformance',
      );
    }
  } else {
    labels = [];
    for (const name of resolver.installed()) {
      if (name === 'reference') continue;
      try {
        const mod = await resolver.load(name);
        for (const variant of nodeVariantsOf(name, mod)) labels.push({ name, variant });
      } catch (e) {
        // A backend that cannot even load still gets a row, unavailable, with the reason.
        labels.push({ name, variant: undefined, loadError: (e as Error).message } as BackendLabel);
      }
    }
  }
  return labels.map((label) => ({
    label: formatLabel(label),
    create: async () => {
      const loadError = (label as { loadError?: string }).loadError;
      if (loadError !== undefined) throw new Error(loadError);
      const mod = await resolver.load(label.name);
      return mod.createBackend(label.variant === undefined ? {} : { variant: label.variant });
    },
  }));
}

/** Progress on stderr: redrawn in place on a terminal, a line every few seconds otherwise. */
function progressPrinter(io: Io): ProgressFn {
  let last = Date.now();
  return (done, total, cell) => {
    if (io.stderr.isTTY) {
      io.stderr.write(
        `\r\x1b[K${done}/${total} ${cell?.backend ?? ''} ${cell?.caseId ?? ''} ${cell?.status ?? ''}`,
      );
      if (done === total) io.stderr.write('\r\x1b[K');
      return;
    }
    const now = Date.now();
    if (now - last >= 5000 || done === total) {
      print(io.stderr, `${done}/${total} cells`);
      last = now;
    }
  };
}

export const conformance: Command = {
  name: 'conformance',
  summary: 'check that backends compute what the float64 reference computes',
  help: `usage: tessera conformance [--backends ort:node,tfjs:wasm,...] [--cases <glob,...>]
                           [--random N --seed S] [--report out.md] [--json out.json] [--browser]

Runs the conformance catalogue on each backend variant and compares every output with the
float64 reference (|got - want| <= atol + rtol*|want|). Prints the matrix and a summary and
exits 1 on any fail or error. By default it runs every node variant of every installed backend
except the reference itself; a variant that cannot start here is listed as unavailable with the
reason.

options:
  --backends LIST   backend variants, name:variant, comma-separated
  --cases GLOBS     case ids to run, * matching anything (e.g. "lstm/*,preset/*")
  --random N        add N random specs drawn with fast-check
  --seed S          the seed of the random specs (default 0)
  --report FILE     write the report as Markdown
  --json FILE       write the report as JSON
  --browser         run in headless Chromium through @tessera/conformance-browser
  --strict          also fail when a backend cannot start or an expected failure passes
  --list            list the selected cases and exit`,
  options: {
    backends: { type: 'string', multiple: true },
    cases: { type: 'string', multiple: true },
    random: { type: 'string' },
    seed: { type: 'string' },
    report: { type: 'string' },
    json: { type: 'string' },
    browser: { type: 'boolean' },
    list: { type: 'boolean' },
    strict: { type: 'boolean' },
  },
  async run(parsed, { io, resolver }) {
    if (parsed.positionals.length > 0)
      throw new UsageError(
        `unexpected argument ${JSON.stringify(parsed.positionals[0])}`,
        'conformance',
      );
    const random = int('conformance', parsed, 'random', { min: 0, max: 100_000 }) ?? 0;
    const seed = int('conformance', parsed, 'seed', { min: 0, max: 2 ** 32 - 1 }) ?? 0;
    const named = list(parsed, 'backends');
    const keep = caseFilter(list(parsed, 'cases'));
    const mod = await importModule<ConformanceModule>(
      '@tessera/conformance',
      'tessera conformance',
    );
    const cases = [...mod.catalogue, ...(random > 0 ? mod.randomCases(random, seed) : [])].filter(
      (c) => keep(c.id),
    );
    if (cases.length === 0)
      throw new UsageError(
        `no case matches --cases ${list(parsed, 'cases').join(',')}`,
        'conformance',
      );
    if (flag(parsed, 'list')) {
      print(io.stdout, ...cases.map((c) => c.id));
      return EXIT_OK;
    }
    let report: unknown;
    if (flag(parsed, 'browser')) {
      if (random > 0)
        throw new UsageError(
          '--random is not available with --browser (the page runs the catalogue)',
          'conformance',
        );
      const browser = await importModule<BrowserModule>(
        '@tessera/conformance-browser',
        'tessera conformance --browser',
      );
      const globs = list(parsed, 'cases');
      const result = await browser.runBrowserConformance({
        ...(named.length > 0 ? { backends: named } : {}),
        ...(globs.length > 0 ? { cases: globs.join(',') } : {}),
        onProgress: progressPrinter(io),
      });
      if (result.browser !== undefined)
        print(
          io.stdout,
          `Chromium ${result.browser.version}; WebGL2: ${result.browser.webgl2}; WebGPU: ${result.browser.webgpu}`,
        );
      report = result;
    } else {
      const backends = await backendList(resolver, named);
      if (backends.length === 0)
        throw new CliError(
          `no backend to test: none is installed besides the reference (installed: ${resolver.installed().join(', ') || 'none'})`,
        );
      report = await mod.runConformance({ cases, backends, onProgress: progressPrinter(io) });
    }
    print(io.stdout, mod.renderTerminal(report, { color: io.stdout.isTTY === true }));
    const md = str(parsed, 'report');
    if (md !== undefined) writeFile(io, md, mod.renderMarkdown(report));
    const json = str(parsed, 'json');
    if (json !== undefined)
      writeFile(io, json, `${JSON.stringify(mod.reportToJSON(report), null, 2)}\n`);
    const strict = flag(parsed, 'strict');
    return mod.exitCode(report, { failOnUnavailable: strict, failOnUnexpectedPass: strict }) === 0
      ? EXIT_OK
      : EXIT_FAILURE;
  },
};
