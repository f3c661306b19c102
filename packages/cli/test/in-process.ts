// Runs `main` in-process with captured streams and fake backend packages, for the paths a real
// installed backend cannot exercise (a backend that computes wrong numbers, one that cannot start).

import { createResolver, type Importer } from '../src/backends.js';
import { main } from '../src/main.js';

export interface Captured {
  status: number;
  stdout: string;
  stderr: string;
}

export async function runMain(
  argv: string[],
  options: { cwd: string; modules?: Record<string, unknown> },
): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const modules = options.modules ?? {};
  // Packages, not their subpath entries (`@tessera/backend-tfjs/train`).
  const installed = () =>
    Object.keys(modules)
      .filter((k) => /^@tessera\/backend-[a-z0-9-]+$/.test(k))
      .map((k) => k.slice('@tessera/backend-'.length))
      .sort();
  const importer: Importer = async (specifier) => {
    if (!Object.hasOwn(modules, specifier)) throw new Error(`Cannot find package '${specifier}'`);
    return modules[specifier];
  };
  const status = await main(argv, {
    io: {
      cwd: options.cwd,
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
    },
    resolver: createResolver(importer, installed),
  });
  return { status, stdout, stderr };
}
