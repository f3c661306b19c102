// The weights tab: which weights the runs use (a loaded file only while it fits the spec, and
// why not when it does not), loading a .safetensors or a shard index with its shards, the
// tokenizer of a language model, and downloads of the spec, the weights and the ONNX export.
import { checkWeights, type ModelSpec } from '@tessera/spec';
import type { ReactNode } from 'react';
import { errorText, type WeightSource, weightSourceText } from '../lib/model';
import type { Action } from '../lib/store';
import { readWeightFiles } from '../lib/weight-files';

export function WeightsPanel(props: {
  spec: ModelSpec;
  source: WeightSource;
  loadError: string | null;
  dispatch: (a: Action) => void;
  onDownload: (what: 'spec' | 'weights' | 'onnx') => void;
  tokenizer?: ReactNode;
}) {
  const { source, dispatch } = props;
  return (
    <div className="panel">
      <p data-testid="weights-source">{weightSourceText(source)}</p>
      {source.kind === 'seeded' && source.unused && (
        <pre className="error" data-testid="weights-unused">
          {source.unused.name} does not fit this spec, so seeded weights are used instead:{'\n'}
          {source.unused.problem}
        </pre>
      )}
      {props.loadError && (
        <pre className="error" data-testid="weights-error">
          {props.loadError}
        </pre>
      )}
      <label>
        load .safetensors (or a shard index with its shards){' '}
        <input
          // A new key empties the chooser when the weights in use change, so it never names a
          // file that is not (or no longer) in use.
          key={source.kind === 'file' ? source.name : 'seeded'}
          type="file"
          accept=".safetensors,.json"
          multiple
          data-testid="weights-file"
          onChange={(e) => {
            const files = [...(e.target.files ?? [])];
            if (files.length === 0) return;
            readWeightFiles(files)
              .then((loaded) => {
                // Checked now, so that a file that does not fit is refused with its problems.
                checkWeights(props.spec, loaded.weights);
                dispatch({ type: 'weights-loaded', loaded });
              })
              .catch((err: unknown) =>
                dispatch({ type: 'weights-failed', message: errorText(err) }),
              );
          }}
        />
      </label>
      {source.kind === 'file' || (source.kind === 'seeded' && source.unused) ? (
        <button type="button" onClick={() => dispatch({ type: 'weights-cleared' })}>
          use seeded weights
        </button>
      ) : null}
      {props.tokenizer}
      <div className="downloads">
        <button type="button" onClick={() => props.onDownload('spec')}>
          download spec
        </button>
        <button type="button" onClick={() => props.onDownload('weights')}>
          download weights
        </button>
        <button type="button" onClick={() => props.onDownload('onnx')}>
          download ONNX
        </button>
      </div>
    </div>
  );
}
