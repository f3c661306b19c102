// The backend resolver: `name[:variant]` → the installed `@tessera/backend-<name>` package, loaded
// with a dynamic import. What a backend's variants are, where they run and which run by default
// comes from the package's `manifest`; no backend is named here.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type Backend,
  type BackendManifest,
  isDefaultIn,
  type VariantManifest,
} from '@tessera/spec';
import { CliError, UsageError } from './errors.js';

/**
 * What the CLI needs of a backend package's main entry: its createBackend, and its other exports by
 * name (exporters).
 */
export interface BackendModule {
  /** Starts a variant of the package. */
  createBackend(options?: { variant?: string; [option: string]: unknown }): Promise<Backend>;
  [name: string]: unknown;
}

/** Loads a module by specifier; injectable so tests can substitute fakes. */
export type Importer = (specifier: string) => Promise<unknown>;

const defaultImporter: Importer = (specifier) => import(specifier);

/** Names are checked before they reach import(), so an argument can never name an arbitrary module. */
const NAME = /^[a-z0-9-]+$/;

/** A parsed `name[:variant]` label, as `--backends ort:node,tfjs` gives them. */
export interface BackendLabel {
  name: string;
  variant?: string;
}

/** Parses `name[:variant]`; a UsageError (for `command`'s help) when it is not of that form. */
export function parseBackendLabel(text: string, command = 'run'): BackendLabel {
  const [name, variant, ...rest] = text.split(':');
  if (rest.length > 0 || !NAME.test(name) || (variant !== undefined && !NAME.test(variant))) {
    throw new UsageError(
      `backend ${JSON.stringify(text)} is not of the form name[:variant] (lower-case letters, digits and dashes)`,
      command,
    );
  }
  return variant === undefined || variant === '' ? { name } : { name, variant };
}

/** A label back as `name` or `name:variant`. */
export function formatLabel(label: BackendLabel): string {
  return label.variant === undefined ? label.name : `${label.name}:${label.variant}`;
}

/** Every `@tessera/backend-*` package visible from here, by its short name, sorted. */
export function installedBackends(from = dirname(fileURLToPath(import.meta.url))): string[] {
  const found = new Set<string>();
  let dir = from;
  for (;;) {
    const scope = join(dir, 'node_modules', '@tessera');
    if (existsSync(scope)) {
      for (const entry of readdirSync(scope)) {
        const m = /^backend-([a-z0-9-]+)$/.exec(entry);
        if (m !== null) found.add(m[1]);
      }
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return [...found].sort();
}

/**
 * Finds and imports the installed backend packages by short name (`ort` for
 * `@tessera/backend-ort`).
 */
export interface Resolver {
  /** The short names of the backend packages installed, sorted. */
  installed(): string[];
  /**
   * Imports `@tessera/backend-<name>` once; a UsageError lists the installed ones when it is not.
   */
  load(name: string): Promise<BackendModule>;
  /** One of an installed backend's subpath exports, `@tessera/backend-<name>/<entry>` (tfjs's
   *  `train`, say), for what a package keeps out of its main entry. */
  loadEntry(name: string, entry: string): Promise<Record<string, unknown>>;
}

/** The resolver over `importer` (dynamic import by default) and the packages `installed` finds. */
export function createResolver(
  importer: Importer = defaultImporter,
  installed: () => string[] = installedBackends,
): Resolver {
  const cache = new Map<string, Promise<BackendModule>>();
  return {
    installed,
    load(name) {
      if (!NAME.test(name))
        throw new UsageError(`backend name ${JSON.stringify(name)} is not valid`);
      let p = cache.get(name);
      if (p === undefined) {
        p = loadModule(importer, installed, name);
        cache.set(name, p);
      }
      return p;
    },
    async loadEntry(name, entry) {
      if (!NAME.test(name) || !NAME.test(entry))
        throw new UsageError(`backend entry ${JSON.stringify(`${name}/${entry}`)} is not valid`);
      return (await importInstalled(importer, installed, name, entry)) as Record<string, unknown>;
    },
  };
}

/** Imports `@tessera/backend-<name>` (or its subpath `/<entry>`) once `name` is known installed. */
async function importInstalled(
  importer: Importer,
  installed: () => string[],
  name: string,
  entry?: string,
): Promise<unknown> {
  const available = installed();
  const list = available.length === 0 ? 'none is installed' : `available: ${available.join(', ')}`;
  if (!available.includes(name)) {
    throw new UsageError(`unknown backend ${JSON.stringify(name)} (${list})`);
  }
  const specifier = `@tessera/backend-${name}${entry === undefined ? '' : `/${entry}`}`;
  try {
    return await importer(specifier);
  } catch (e) {
    const what = entry === undefined ? '' : ` ${specifier}`;
    throw new CliError(
      `backend ${JSON.stringify(name)} is installed but${what} could not be loaded (is it built?): ${(e as Error).message}`,
    );
  }
}

async function loadModule(
  importer: Importer,
  installed: () => string[],
  name: string,
): Promise<BackendModule> {
  const mod = await importInstalled(importer, installed, name);
  if (typeof (mod as BackendModule)?.createBackend !== 'function') {
    throw new CliError(`@tessera/backend-${name} does not export createBackend`);
  }
  return mod as BackendModule;
}

/** Starts a backend; a variant that cannot start here is a CliError saying why. */
export async function startBackend(resolver: Resolver, label: BackendLabel): Promise<Backend> {
  const mod = await resolver.load(label.name);
  const declared = (mod as { manifest?: unknown }).manifest;
  if (label.variant !== undefined && isManifest(declared)) {
    // An unknown variant is a usage error, as an unknown backend is (exit 2), listing the others.
    const names = declared.variants.map((v) => v.name);
    if (!names.includes(label.variant))
      throw new UsageError(
        `backend ${label.name} has no variant ${JSON.stringify(label.variant)} (its variants: ${names.join(', ')})`,
      );
  }
  let backend: Backend;
  try {
    backend = await mod.createBackend(
      label.variant === undefined ? {} : { variant: label.variant },
    );
  } catch (e) {
    throw new CliError(
      `backend ${formatLabel(label)} cannot start: ${(e as Error).message ?? String(e)}`,
    );
  }
  // A package that ignores an unknown variant would otherwise run something the user did not ask for.
  if (label.variant !== undefined && backend.variant !== label.variant) {
    throw new CliError(
      `backend ${label.name} has no variant ${JSON.stringify(label.variant)} (it started ${JSON.stringify(backend.variant)})`,
    );
  }
  return backend;
}

/** Whether a package's `manifest` export has the shape of a BackendManifest (variants by name). */
function isManifest(value: unknown): value is BackendManifest {
  const isObject = (x: unknown): x is Record<string, unknown> =>
    typeof x === 'object' && x !== null;
  return (
    isObject(value) &&
    typeof value.name === 'string' &&
    Array.isArray(value.variants) &&
    value.variants.every(
      (v) => isObject(v) && typeof v.name === 'string' && Array.isArray(v.runsIn),
    )
  );
}

/**
 * The manifest a package exports, from its main entry or its `manifest` subpath; a package
 * without one is a CliError naming it.
 */
export function manifestOf(name: string, mod: Readonly<Record<string, unknown>>): BackendManifest {
  if (!isManifest(mod.manifest))
    throw new CliError(
      `@tessera/backend-${name} exports no manifest (its variants, where each runs, what each needs)`,
    );
  return mod.manifest;
}

/** The variants conformance and bench run in node when none is named, as the manifest says. */
export function defaultNodeVariants(name: string, mod: BackendModule): VariantManifest[] {
  return manifestOf(name, mod).variants.filter((v) => isDefaultIn(v, 'node'));
}

/** Every variant of every installed backend that loads, labelled `name:variant`. */
export async function installedVariants(
  resolver: Resolver,
): Promise<{ label: string; variant: VariantManifest }[]> {
  const all: { label: string; variant: VariantManifest }[] = [];
  for (const name of resolver.installed()) {
    let variants: readonly VariantManifest[];
    try {
      variants = manifestOf(name, await resolver.load(name)).variants;
    } catch {
      continue; // a package that cannot load is reported where it is asked to run
    }
    for (const variant of variants) all.push({ label: `${name}:${variant.name}`, variant });
  }
  return all;
}

/** The manifest's entry of `variant` (its first variant when none is named), if it has one. */
export function variantOf(
  name: string,
  mod: BackendModule,
  variant: string | undefined,
): VariantManifest | undefined {
  const { variants } = manifestOf(name, mod);
  return variant === undefined ? variants[0] : variants.find((v) => v.name === variant);
}
