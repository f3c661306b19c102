// Weight manifests (PyTorch state_dict names and layouts under each node's weight prefix: its
// `weightPrefix`, or its id), seeded PyTorch-like initialisation, and checking a set of weights
// against a spec. A linear with `tiedTo` has no weight of its own: it reads its embedding's.
import { type NamedIssue, WeightError } from './errors.js';
import { type Limits, resolveLimits } from './limits.js';
import { type InitRule, prefixOf } from './ops/common.js';
import { opDef } from './ops/registry.js';
import { Rng } from './rng.js';
import type { ModelSpec } from './schema.js';
import { numel, type Tensor, type Weights } from './tensor.js';

/** One weight a spec needs: its full name, node, shape and how PyTorch initialises it. */
export interface WeightInfo {
  /** Full name, `<weight prefix>.<state_dict name>` (the prefix is the node id by default). */
  name: string;
  node: string;
  shape: number[];
  dtype: 'float32';
  init: InitRule;
  /** A buffer (batchNorm's running statistics): loaded and saved, never trained. */
  buffer: boolean;
}

/** The weight names and shapes a spec needs, in manifest order. */
export function weightManifest(spec: ModelSpec): WeightInfo[] {
  return spec.nodes.flatMap((node) =>
    (opDef(node.op)!.weights?.(node) ?? []).map((w) => ({
      name: `${prefixOf(node)}.${w.name}`,
      node: node.id,
      shape: w.shape,
      dtype: 'float32' as const,
      init: w.init,
      buffer: w.buffer === true,
    })),
  );
}

/**
 * The tied heads: for each linear with `tiedTo`, the name its own weight would have (`alias`,
 * `lm_head.weight`, which a PyTorch state_dict of a tied model also holds) and the embedding
 * table it reads (`target`, `embed.weight`). parseSpec has checked that the target exists.
 */
export function tiedWeights(spec: ModelSpec): { node: string; alias: string; target: string }[] {
  const byId = new Map(spec.nodes.map((n) => [n.id, n]));
  return spec.nodes.flatMap((node) => {
    if (node.op !== 'linear' || node.tiedTo === undefined) return [];
    const table = byId.get(node.tiedTo);
    if (table === undefined) return [];
    return [
      { node: node.id, alias: `${prefixOf(node)}.weight`, target: `${prefixOf(table)}.weight` },
    ];
  });
}

/** How many weight elements the spec (or only its node `node`) declares, buffers included. */
export function parameterCount(spec: ModelSpec, node?: string): number {
  return weightManifest(spec)
    .filter((w) => node === undefined || w.node === node)
    .reduce((n, w) => n + numel(w.shape), 0);
}

/** Options of initWeights. */
export interface InitOptions {
  /**
   * Replace PyTorch's constant initialisations (norm weights of 1, zero biases, running
   * statistics) by random values, so that a test exercises every weight. Off by default.
   */
  randomizeConstants?: boolean;
  limits?: Partial<Limits>;
}

/** Fills every weight of the manifest reproducibly: same spec and seed, same bytes everywhere. */
export function initWeights(spec: ModelSpec, seed: number, options: InitOptions = {}): Weights {
  const manifest = weightManifest(spec);
  const total = manifest.reduce((n, w) => n + numel(w.shape), 0);
  const limits = resolveLimits(options.limits);
  if (total > limits.maxParameters) {
    throw new WeightError(
      `the spec declares ${total} parameters, over the limit of ${limits.maxParameters}`,
      spec.name,
    );
  }
  const weights: Weights = new Map();
  for (const w of manifest) {
    const rng = Rng.forName(seed, w.name);
    const data = new Float32Array(numel(w.shape));
    const rule = w.init;
    if (rule.kind === 'uniform')
      for (let i = 0; i < data.length; i++) data[i] = rng.range(-rule.bound, rule.bound);
    else if (rule.kind === 'normal')
      for (let i = 0; i < data.length; i++) data[i] = rng.normal() * rule.std;
    else if (options.randomizeConstants) {
      // Around the constant: variances and scales stay positive, offsets are centred on zero.
      const centre = rule.value;
      for (let i = 0; i < data.length; i++) data[i] = centre + rng.range(-0.5, 0.5);
    } else data.fill(rule.value);
    weights.set(w.name, { dtype: 'float32', shape: [...w.shape], data });
  }
  return weights;
}

/** Accepts a Map or a plain object of tensors (as a state_dict would be). */
export function toWeights(weights: Weights | Record<string, Tensor>): Weights {
  return weights instanceof Map ? weights : new Map(Object.entries(weights));
}

/** Full names that PyTorch puts in a state_dict but that inference does not use (each op's own). */
function ignorableNames(spec: ModelSpec): Set<string> {
  return new Set(
    spec.nodes.flatMap((node) =>
      (opDef(node.op)!.ignoredWeights?.(node) ?? []).map((name) => `${prefixOf(node)}.${name}`),
    ),
  );
}

/** Where two float32 arrays first differ (NaN equals NaN), or -1. */
function firstDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return i;
  }
  return -1;
}

/**
 * Checks names, shapes, dtypes and byte lengths against the manifest; reports every missing,
 * extra, wrongly shaped or wrongly typed tensor by name in one WeightError. A tied head's own
 * name (`lm_head.weight`) may also be given, as a tied PyTorch state_dict holds it: it is
 * accepted only when it equals the embedding's table, and never read.
 */
export function checkWeights(spec: ModelSpec, weights: Weights | Record<string, Tensor>): void {
  const given = toWeights(weights);
  const manifest = weightManifest(spec);
  const expected = new Map(manifest.map((w) => [w.name, w]));
  const ignorable = ignorableNames(spec);
  const tied = tiedWeights(spec);
  const aliasOf = new Map(tied.map((t) => [t.target, t.alias]));
  const issues: NamedIssue[] = [];
  const valid = new Set<string>();
  for (const w of manifest) {
    const t = given.get(w.name);
    if (t === undefined) {
      const alias = aliasOf.get(w.name);
      const hint =
        alias !== undefined && given.has(alias)
          ? `; ${alias} is given, but a tied head reads the embedding's table, which must be given under ${w.name}`
          : '';
      issues.push({
        name: w.name,
        message: `is missing (expected float32 [${w.shape.join(', ')}])${hint}`,
      });
      continue;
    }
    if (t === null || typeof t !== 'object' || !Array.isArray(t.shape)) {
      issues.push({ name: w.name, message: 'is not a tensor' });
      continue;
    }
    if (t.dtype !== 'float32' || !(t.data instanceof Float32Array)) {
      issues.push({ name: w.name, message: `has dtype ${String(t.dtype)}, expected float32` });
    }
    if (t.shape.length !== w.shape.length || t.shape.some((d, i) => d !== w.shape[i])) {
      issues.push({
        name: w.name,
        message: `has shape [${t.shape.join(', ')}], expected [${w.shape.join(', ')}]`,
      });
    } else if (t.data?.length !== numel(w.shape)) {
      issues.push({
        name: w.name,
        message: `holds ${t.data?.length} values, its shape [${w.shape.join(', ')}] needs ${numel(w.shape)}`,
      });
    } else if (t.dtype === 'float32' && t.data instanceof Float32Array) valid.add(w.name);
  }
  const aliases = new Set<string>();
  for (const { alias, target } of tied) {
    aliases.add(alias);
    const copy = given.get(alias);
    if (copy === undefined || !valid.has(target)) continue;
    const table = given.get(target)!;
    const same =
      copy !== null &&
      typeof copy === 'object' &&
      Array.isArray(copy.shape) &&
      copy.shape.length === table.shape.length &&
      copy.shape.every((d, i) => d === table.shape[i]) &&
      copy.data instanceof Float32Array;
    const at = same ? firstDifference(copy.data as Float32Array, table.data as Float32Array) : 0;
    if (!same || at >= 0) {
      issues.push({
        name: alias,
        message: same
          ? `differs from ${target} (at flat index ${at}: ${copy.data[at]} vs ${table.data[at]}), but the linear is tied to it: a tied head's weight is the embedding's table`
          : `is not a float32 tensor of ${target}'s shape [${table.shape.join(', ')}], but the linear is tied to it: a tied head's weight is the embedding's table`,
      });
    }
  }
  for (const name of given.keys()) {
    if (!expected.has(name) && !ignorable.has(name) && !aliases.has(name)) {
      issues.push({ name, message: 'is not a weight of this spec (unexpected tensor)' });
    }
  }
  if (issues.length > 0) throw new WeightError(issues);
}
