// Node-only helpers (`@tessera/lm/node`): reading tokenizer files from disk. Kept out of the main
// entry so that browser bundles never see `node:fs`.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import {
  HfTokenizer,
  type HfTokenizerConfig,
  type HfTokenizerOptions,
  isHfTokenizerFile,
  type Tokenizer,
  tokenizerFromJSON,
  type VocabFile,
} from './tokenizer.js';

function readJSON(path: string): unknown {
  const text = readFileSync(path, 'utf8');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`${path}: not JSON (${(e as Error).message})`);
  }
}

/**
 * Reads a tokenizer from `path`: a folder holding `tokenizer.json` (a Hugging Face model folder),
 * a `tokenizer.json` itself, or a `tessera.vocab/v1` vocabulary file. For a `tokenizer.json`, the
 * `tokenizer_config.json` beside it is read too where there is one (it names BOS and EOS).
 */
export function readTokenizer(path: string, options: HfTokenizerOptions = {}): Tokenizer {
  const file = statSync(path).isDirectory() ? join(path, 'tokenizer.json') : path;
  if (!existsSync(file)) throw new Error(`${path}: no tokenizer.json in this folder`);
  const json = readJSON(file);
  if ((json as VocabFile)?.format !== 'tessera.vocab/v1' && isHfTokenizerFile(json)) {
    const configPath = join(dirname(file), 'tokenizer_config.json');
    const config =
      basename(file) !== 'tokenizer_config.json' && existsSync(configPath)
        ? (readJSON(configPath) as HfTokenizerConfig)
        : undefined;
    try {
      return new HfTokenizer(json, config, options);
    } catch (e) {
      throw new Error(`${file}: ${(e as Error).message}`);
    }
  }
  try {
    return tokenizerFromJSON(json as VocabFile);
  } catch (e) {
    throw new Error(
      `${file}: neither a tokenizer.json nor a tessera.vocab/v1 file (${(e as Error).message})`,
    );
  }
}
