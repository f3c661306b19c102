import { describe, expect, it } from 'vitest';
import { commands } from '../src/main.js';
import { workdir } from './helpers.js';

const w = workdir();

describe('tessera help and usage errors', () => {
  it('--help lists every command and exits 0', () => {
    const r = w.tessera('--help');
    expect(r.status).toBe(0);
    for (const c of commands) expect(r.stdout).toContain(`  ${c.name} `);
  });

  it('no command prints the overview on stderr and exits 2', () => {
    const r = w.tessera();
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('usage: tessera <command>');
  });

  it.each(commands.map((c) => c.name))('%s --help prints its usage and exits 0', (name) => {
    const r = w.tessera(name, '--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^usage: tessera ${name}`));
    expect(r.stderr).toBe('');
  });

  it('an unknown command is a usage error listing the commands', () => {
    const r = w.tessera('frobnicate');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown command "frobnicate"');
    expect(r.stderr).toContain('validate, inspect');
  });

  it('an unknown option is a usage error naming it', () => {
    const r = w.tessera('inspect', 'x.json', '--frob');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("'--frob'");
    expect(r.stderr).toContain('tessera inspect --help');
  });

  it('--version prints the package version', () => {
    const r = w.tessera('--version');
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
