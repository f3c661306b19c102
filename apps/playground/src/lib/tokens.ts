// The character tokenizer the playground uses for language-model presets: id 0 is the unknown
// marker, then printable characters up to the model's vocabulary size.
import { CharTokenizer } from '@tessera/lm';

const CHARSET = ' etaoinshrdlucmfwypvbgkjqxz.,!?\'"-:;ETAOINSHRDLUCMFWYPVBGKJQXZ0123456789()\n';

export function playgroundTokenizer(vocabSize: number): CharTokenizer {
  const chars = [...CHARSET].slice(0, Math.max(0, vocabSize - 1));
  return CharTokenizer.fromJSON({
    format: 'tessera.vocab/v1',
    kind: 'char',
    tokens: ['\uFFFD', ...chars],
  });
}
