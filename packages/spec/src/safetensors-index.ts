// Sharded safetensors checkpoints, as Hugging Face writes them: `model.safetensors.index.json`
// = { "metadata": {...}, "weight_map": { "<tensor>": "model-00001-of-00002.safetensors", ... } }
// beside the shard files. Pure: the caller reads the files (Node in the CLI, File objects in a
// browser) and hands their bytes over, so every front-end joins shards with the same checks.

import type { NamedIssue } from './errors.js';
import { WeightError } from './errors.js';
import { readSafetensors, type SafetensorsFile } from './safetensors.js';
import type { Tensor } from './tensor.js';

/** The conventional name of a shard index. */
export const SHARD_INDEX_NAME = 'model.safetensors.index.json';

/** A parsed `model.safetensors.index.json`: which shard file holds each tensor. */
export interface ShardIndex {
  /** The index's own `metadata` object (e.g. total_size), as given. */
  metadata: Record<string, unknown>;
  /** Tensor name → the shard file that holds it. */
  weightMap: Map<string, string>;
}

/**
 * Parses and checks an index's JSON (text or an already-parsed value). Shard names must be plain
 * file names in the index's own folder: no path separators, not `.` or `..`.
 */
export function parseShardIndex(json: string | unknown): ShardIndex {
  let value: unknown = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json);
    } catch (e) {
      throw new WeightError(`is not valid JSON: ${(e as Error).message}`, '(index)');
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new WeightError('is not a JSON object', '(index)');
  const { metadata = {}, weight_map: map } = value as { metadata?: unknown; weight_map?: unknown };
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata))
    throw new WeightError('must be an object', 'metadata');
  if (map === null || typeof map !== 'object' || Array.isArray(map))
    throw new WeightError('is missing or not an object of tensor name → shard file', 'weight_map');
  const weightMap = new Map<string, string>();
  const issues: NamedIssue[] = [];
  for (const [name, file] of Object.entries(map)) {
    if (typeof file !== 'string' || file === '' || /[/\\]/.test(file) || /^\.\.?$/.test(file))
      issues.push({
        name,
        message: `has shard ${JSON.stringify(file)} in weight_map; expected a file name beside the index`,
      });
    else weightMap.set(name, file);
  }
  if (issues.length > 0) throw new WeightError(issues);
  if (weightMap.size === 0) throw new WeightError('lists no tensors', 'weight_map');
  return { metadata: metadata as Record<string, unknown>, weightMap };
}

/** The shard files an index names, each once, in the order they first appear. */
export function shardFiles(index: ShardIndex): string[] {
  return [...new Set(index.weightMap.values())];
}

/**
 * Joins the shards into one set of tensors (each converted on load as readSafetensors does).
 * `shards` maps a file name to its bytes (or to its parsed contents); a shard the index names
 * that is absent from the map is missing. Reports every problem in one WeightError, each naming
 * the tensor and the file: a missing shard, a tensor the index places in a shard that does not
 * hold it, a tensor in a shard that the index does not list (or lists under another shard), a
 * tensor in two shards. A format problem inside a shard names the shard too.
 */
export function joinShards(
  index: ShardIndex,
  shards: ReadonlyMap<string, Uint8Array | SafetensorsFile>,
): SafetensorsFile {
  const issues: NamedIssue[] = [];
  const files = new Map<string, SafetensorsFile>();
  for (const [file, content] of shards) {
    if (!(content instanceof Uint8Array)) {
      files.set(file, content);
      continue;
    }
    try {
      files.set(file, readSafetensors(content));
    } catch (e) {
      if (!(e instanceof WeightError)) throw e;
      issues.push(...e.issues.map((i) => ({ name: i.name, message: `in ${file}: ${i.message}` })));
    }
  }
  const listed = shardFiles(index);
  for (const file of listed) {
    if (shards.has(file)) continue;
    const names = [...index.weightMap].filter(([, f]) => f === file).map(([n]) => n);
    const more =
      names.length > 1
        ? ` (and ${names.length - 1} more tensor${names.length > 2 ? 's' : ''} the index places there)`
        : '';
    issues.push({
      name: names[0],
      message: `is in shard ${file} according to the index, but that file is missing${more}`,
    });
  }
  const tensors = new Map<string, Tensor>();
  const holder = new Map<string, string>();
  const metadata: Record<string, string> = {};
  // Shards the index names first, in its order, then any others given, so that messages say
  // "in both A and B" in the order a person reads the index.
  const order = [
    ...listed.filter((f) => files.has(f)),
    ...[...files.keys()].filter((f) => !listed.includes(f)),
  ];
  for (const file of order) {
    const shard = files.get(file)!;
    for (const [k, v] of Object.entries(shard.metadata))
      if (!Object.hasOwn(metadata, k))
        Object.defineProperty(metadata, k, {
          value: v,
          enumerable: true,
          writable: true,
          configurable: true,
        });
    for (const [name, t] of shard.tensors) {
      const first = holder.get(name);
      if (first !== undefined) {
        issues.push({ name, message: `is in two shards, ${first} and ${file}` });
        continue;
      }
      holder.set(name, file);
      const want = index.weightMap.get(name);
      if (want === undefined)
        issues.push({ name, message: `is in ${file} but not in the index's weight_map` });
      else if (want !== file)
        issues.push({ name, message: `is in ${file} but the index places it in ${want}` });
      else tensors.set(name, t);
    }
  }
  for (const [name, file] of index.weightMap) {
    // A tensor found in another shard was reported above, under that shard.
    if (files.has(file) && !files.get(file)!.tensors.has(name) && !holder.has(name))
      issues.push({
        name,
        message: `is in ${file} according to the index, but ${file} does not hold it`,
      });
  }
  if (issues.length > 0) throw new WeightError(issues);
  return { tensors, metadata };
}
