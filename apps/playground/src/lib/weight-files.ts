// The weights a person picks in the playground: one .safetensors file, or a Hugging Face shard
// index (model.safetensors.index.json) chosen together with its shards. The joining and its
// checks are @tessera/spec's (joinShards); this only reads the File objects and says which
// shards are missing.
import {
  joinShards,
  parseShardIndex,
  readSafetensors,
  shardFiles,
  type Weights,
} from '@tessera/spec';

/** What a picked file offers: a browser File has both. */
export interface PickedFile {
  name: string;
  arrayBuffer(): Promise<ArrayBuffer>;
  text(): Promise<string>;
}

export interface LoadedWeights {
  weights: Weights;
  /** For the panel: the file, or the index and how many shards. */
  name: string;
}

export async function readWeightFiles(files: readonly PickedFile[]): Promise<LoadedWeights> {
  const indexes = files.filter((f) => f.name.endsWith('.json'));
  const tensorsFiles = files.filter((f) => !f.name.endsWith('.json'));
  if (indexes.length > 1)
    throw new Error(`choose one shard index, not ${indexes.map((f) => f.name).join(' and ')}`);
  if (indexes.length === 0) {
    if (tensorsFiles.length !== 1)
      throw new Error(
        'choose one .safetensors file, or a model.safetensors.index.json together with its shards',
      );
    const [file] = tensorsFiles;
    try {
      return {
        weights: readSafetensors(new Uint8Array(await file.arrayBuffer())).tensors,
        name: file.name,
      };
    } catch (e) {
      throw new Error(`${file.name}: ${(e as Error).message}`);
    }
  }
  const [indexFile] = indexes;
  const at = (e: unknown) => new Error(`${indexFile.name}: ${(e as Error).message}`);
  let index: ReturnType<typeof parseShardIndex>;
  try {
    index = parseShardIndex(await indexFile.text());
  } catch (e) {
    throw at(e);
  }
  const given = new Map(tensorsFiles.map((f) => [f.name, f]));
  const needed = shardFiles(index);
  const missing = needed.filter((name) => !given.has(name));
  if (missing.length > 0)
    throw new Error(
      `${indexFile.name} names ${needed.length} shard${needed.length === 1 ? '' : 's'}; missing: ${missing.join(', ')} (choose the index together with every shard)`,
    );
  const shards = new Map<string, Uint8Array>();
  for (const [name, f] of given) shards.set(name, new Uint8Array(await f.arrayBuffer()));
  try {
    return {
      weights: joinShards(index, shards).tensors,
      name: `${indexFile.name} + ${needed.length} shard${needed.length === 1 ? '' : 's'}`,
    };
  } catch (e) {
    throw at(e);
  }
}
