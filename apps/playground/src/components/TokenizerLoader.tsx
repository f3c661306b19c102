// Loading a Hugging Face tokenizer.json (with its tokenizer_config.json, if chosen too) for the
// language-model panel. Without one the playground keeps its character tokenizer.
import {
  type HfTokenizerConfig,
  isHfTokenizerFile,
  loadHfTokenizer,
  type Tokenizer,
} from '@tessera/lm';
import { useState } from 'react';

export interface LoadedTokenizer {
  tokenizer: Tokenizer;
  name: string;
  /** The tokenizer_config.json chosen with it: the generation worker rebuilds the tokenizer from both. */
  config?: HfTokenizerConfig;
}

/** Reads the chosen files: the one with a `model` is the tokenizer.json, another its config. */
export async function readTokenizerFiles(files: readonly File[]): Promise<LoadedTokenizer> {
  const parsed = await Promise.all(
    files.map(async (f) => {
      try {
        return { name: f.name, json: JSON.parse(await f.text()) as unknown };
      } catch (e) {
        throw new Error(`${f.name}: not JSON (${(e as Error).message})`);
      }
    }),
  );
  const main = parsed.find((p) => isHfTokenizerFile(p.json));
  if (!main)
    throw new Error('choose a tokenizer.json (and its tokenizer_config.json if you have it)');
  const config = parsed.find((p) => p !== main);
  try {
    return {
      tokenizer: loadHfTokenizer(main.json as object, config?.json as object | undefined),
      name: config ? `${main.name} + ${config.name}` : main.name,
      ...(config ? { config: config.json as HfTokenizerConfig } : {}),
    };
  } catch (e) {
    throw new Error(`${main.name}: ${(e as Error).message}`);
  }
}

export function TokenizerLoader(props: {
  loaded: LoadedTokenizer | null;
  /** The model's embedding rows: a tokenizer with more ids than this cannot feed it. */
  vocabLimit: number | undefined;
  onChange: (t: LoadedTokenizer | null) => void;
}) {
  const [problem, setProblem] = useState<string | null>(null);
  const { loaded, vocabLimit } = props;
  const tooBig =
    loaded && vocabLimit !== undefined && loaded.tokenizer.vocabSize > vocabLimit
      ? `the tokenizer has ${loaded.tokenizer.vocabSize} ids but the model's embedding only ${vocabLimit}`
      : null;
  return (
    <div className="tokenizer-loader">
      <p data-testid="tokenizer-name">
        {loaded
          ? `tokenizer: ${loaded.name} (${loaded.tokenizer.vocabSize} ids)`
          : 'tokenizer: the playground character tokenizer'}
      </p>
      {(problem ?? tooBig) && <pre className="error">{problem ?? tooBig}</pre>}
      <label>
        load tokenizer.json{' '}
        <input
          type="file"
          accept=".json"
          multiple
          data-testid="tokenizer-file"
          onChange={(e) => {
            const files = [...(e.target.files ?? [])];
            if (files.length === 0) return;
            readTokenizerFiles(files).then(
              (t) => {
                setProblem(null);
                props.onChange(t);
              },
              (err: unknown) => setProblem(err instanceof Error ? err.message : String(err)),
            );
          }}
        />
      </label>
      {loaded && (
        <button type="button" onClick={() => props.onChange(null)}>
          use the character tokenizer
        </button>
      )}
    </div>
  );
}
