// Weight manifests (PyTorch state_dict names and layouts under each node id), seeded
// PyTorch-like initialisation, and checking a set of weights against a spec.
import { type NamedIssue, WeightError } from './errors.js';
import { type Limits, resolveLimits } from './limits.js';
import type { InitRule } from './ops/common.js';
import { opDef } from './ops/registry.js';
import { Rng } from './rng.js';
import type { ModelSpec } from './schema.js';
import { numel, type Tensor, type Weights } from './tensor.js';

export interface WeightInfo {
  /** Full name, `<node id>.<state_dict name>`. */
  name: string;
  node: string;
  shape: number[];
  dtype: 'float32';
  init: InitRule;
  /** A buffer (batchNorm's running statistics): loaded and saved, never trained. */
  buffer: boolean;
}

export function weightManifest(spec: ModelSpec): WeightInfo[] {
  return spec.nodes.flatMap((node) =>
    (opDef(node.op)!.weights?.(node) ?? []).map((w) => ({
      name: `${node.id}.${w.name}`,
      node: node.id,
      shape: w.shape,
      dtype: 'float32' as const,
      init: w.init,
      buffer: w.buffer === true,
    })),
  );
}

export function parameterCount(spec: ModelSpec, node?: string): number {
  return weightManifest(spec)
    .filter((w) => node === undefined || w.node === node)
    .reduce((n, w) => n + numel(w.shape), 0);
}

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
      (opDef(node.op)!.ignoredWeights?.(node) ?? []).map((name) => `${node.id}.${name}`),
    ),
  );
}

/**
 * Checks names, shapes, dtypes and byte lengths against the manifest; reports every missing,
 * extra, wrongly shaped or wrongly typed tensor by name in one WeightError.
 */
export function checkWeights(spec: ModelSpec, weights: Weights | Record<string, Tensor>): void {
  const given = toWeights(weights);
  const manifest = weightManifest(spec);
  const expected = new Map(manifest.map((w) => [w.name, w]));
  const ignorable = ignorableNames(spec);
  const issues: NamedIssue[] = [];
  for (const w of manifest) {
    const t = given.get(w.name);
    if (t === undefined) {
      issues.push({
        name: w.name,
        message: `is missing (expected float32 [${w.shape.join(', ')}])`,
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
    }
  }
  for (const name of given.keys()) {
    if (!expected.has(name) && !ignorable.has(name)) {
      issues.push({ name, message: 'is not a weight of this spec (unexpected tensor)' });
    }
  }
  if (issues.length > 0) throw new WeightError(issues);
}
