// The backend resolver: `name[:variant]` → the installed `@tessera/backend-<name>` package, loaded
// with a dynamic import. This is the one place in Tessera that knows backend names; everything
// else goes through the Backend interface.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Backend } from '@tessera/spec';
import { CliError, UsageError } from './errors.js';

export interface BackendModule {
  createBackend(options?: { variant?: string; [option: string]: unknown }): Promise<Backend>;
  [name: string]: unknown;
}

/** Loads a module by specifier; injectable so tests can substitute fakes. */
export type Importer = (specifier: string) => Promise<unknown>;

const defaultImporter: Importer = (specifier) => import(specifier);

/** Names are checked before they reach import(), so an argument can never name an arbitrary module. */
const NAME = /^[a-z0-9-]+$/;

/**
 * Variants that run in node, for backends whose package does not say. The browser-only variants
 * (webgl, webgl2, webgpu) are left out; a package that exports `nodeVariants` overrides this.
 */
const knownNodeVariants: Record<string, string[]> = {
  reference: ['f64'],
  ort: ['node', 'wasm'],
  tfjs: ['cpu', 'wasm'],
  gpujs: ['cpu', 'webasm'],
};

export interface BackendLabel {
  name: string;
  variant?: string;
}

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

export interface Resolver {
  installed(): string[];
  load(name: string): Promise<BackendModule>;
}

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
  };
}

async function loadModule(
  importer: Importer,
  installed: () => string[],
  name: string,
): Promise<BackendModule> {
  const available = installed();
  const list = available.length === 0 ? 'none is installed' : `available: ${available.join(', ')}`;
  if (!available.includes(name)) {
    throw new UsageError(`unknown backend ${JSON.stringify(name)} (${list})`);
  }
  let mod: unknown;
  try {
    mod = await importer(`@tessera/backend-${name}`);
  } catch (e) {
    throw new CliError(
      `backend ${JSON.stringify(name)} is installed but could not be loaded (is it built?): ${(e as Error).message}`,
    );
  }
  if (typeof (mod as BackendModule)?.createBackend !== 'function') {
    throw new CliError(`@tessera/backend-${name} does not export createBackend`);
  }
  return mod as BackendModule;
}

/** Starts a backend; a variant that cannot start here is a CliError saying why. */
export async function startBackend(resolver: Resolver, label: BackendLabel): Promise<Backend> {
  const mod = await resolver.load(label.name);
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

/** The variants of a backend that can run in node: the package's own list if it exports one. */
export function nodeVariantsOf(name: string, mod: BackendModule): string[] {
  const own = mod.nodeVariants;
  if (Array.isArray(own) && own.every((v) => typeof v === 'string')) return own as string[];
  if (typeof own === 'function') {
    const v = (own as () => unknown)();
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  }
  return knownNodeVariants[name] ?? [];
}
