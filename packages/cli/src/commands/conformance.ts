import type { Backend, VariantManifest } from '@tessera/spec';
import { flag, int, list, str } from '../args.js';
import {
  type BackendLabel,
  defaultNodeVariants,
  formatLabel,
  parseBackendLabel,
  type Resolver,
  variantOf,
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

/** A backend variant to run, with its manifest entry when its package could be loaded. */
export interface BackendEntry {
  label: string;
  create: () => Promise<Backend>;
  variant?: VariantManifest;
}

/**
 * The backend variants to run: those named, or those every installed backend's manifest runs by
 * default in node (all of its node variants but the reference's, which is the oracle).
 */
export async function backendList(resolver: Resolver, named: string[]): Promise<BackendEntry[]> {
  const entry = (label: BackendLabel, variant?: VariantManifest): BackendEntry => ({
    label: formatLabel(label),
    create: async () => {
      const mod = await resolver.load(label.name);
      return mod.createBackend(label.variant === undefined ? {} : { variant: label.variant });
    },
    ...(variant === undefined ? {} : { variant }),
  });
  // A backend that cannot even load still gets a row, unavailable, with the reason: its create
  // fails with the load error (the resolver keeps the rejected load).
  const withManifest = async (label: BackendLabel): Promise<BackendEntry> => {
    try {
      return entry(label, variantOf(label.name, await resolver.load(label.name), label.variant));
    } catch {
      return entry(label);
    }
  };
  if (named.length > 0) {
    const labels = named.map((n) => parseBackendLabel(n, 'conformance'));
    // A misspelt name is a usage error, not a quietly unavailable column.
    const installed = resolver.installed();
    const unknown = labels.filter((l) => !installed.includes(l.name));
    if (unknown.length > 0) {
      throw new UsageError(
        `unknown backend ${unknown.map((l) => JSON.stringify(l.name)).join(', ')} (available: ${installed.join(', ') || 'none'})`,
        'conformance',
      );
    }
    return Promise.all(labels.map(withManifest));
  }
  const entries: BackendEntry[] = [];
  for (const name of resolver.installed()) {
    let variants: VariantManifest[];
    try {
      variants = defaultNodeVariants(name, await resolver.load(name));
    } catch (e) {
      const reason = (e as Error).message;
      entries.push({ label: name, create: () => Promise.reject(new Error(reason)) });
      continue;
    }
    for (const v of variants) entries.push(entry({ name, variant: v.name }, v));
  }
  return entries;
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

/**
 * `tessera conformance`: runs the case catalogue on backend variants (in node or headless Chromium)
 * against the float64 reference.
 */
export const conformance: Command = {
  name: 'conformance',
  summary: 'check that backends compute what the float64 reference computes',
  help: `usage: tessera conformance [--backends ort:node,tfjs:wasm,...] [--cases <glob,...>]
                           [--random N --seed S] [--report out.md] [--json out.json] [--browser]

Runs the conformance catalogue on each backend variant and compares every output with the
float64 reference (|got - want| <= atol + rtol*|want|). Prints the matrix and a summary and
exits 1 on any fail or error. By default it runs the variants each installed backend's manifest
runs by default in node (every node variant but the reference itself); a variant that cannot
start here is listed as unavailable with the reason.

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
          `no backend to test: no installed backend's manifest runs a variant in node by default (installed: ${resolver.installed().join(', ') || 'none'})`,
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
