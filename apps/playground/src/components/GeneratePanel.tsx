// The language-model panel: a prompt, the sampling settings (each checked as it is typed), and
// generation in a Web Worker (src/lib/use-generation.ts) with the text streaming in, a Stop
// button, and when done the rates and whether the decoder was used or why the prefix was
// recomputed.
import type { HfTokenizerConfig, Tokenizer } from '@tessera/lm';
import type { ModelSpec, Weights } from '@tessera/spec';
import { useMemo } from 'react';
import { checkSampling, maxTokensLimit, type SamplingText } from '../lib/generation';
import {
  type Generation,
  type GenerationState,
  isRunning,
  rateSoFar,
  STOP_GRACE_MS,
} from '../lib/use-generation';

function bytes(n: number): string {
  return n < 1024
    ? `${n} B`
    : n < 1 << 20
      ? `${(n / 1024).toFixed(1)} KiB`
      : `${(n / (1 << 20)).toFixed(1)} MiB`;
}

/** One line on what the generation is doing or did. */
export function statusLine(s: GenerationState): string {
  const where = `in a Web Worker on ${s.label}`;
  switch (s.phase) {
    case 'idle':
      return 'generation runs in a Web Worker: the page stays responsive meanwhile';
    case 'compiling':
      return `compiling the model ${where}…`;
    case 'generating': {
      const rate = rateSoFar(s);
      return `generating ${where}: ${s.tokens} tokens${rate === undefined ? '' : `, ${rate.toFixed(1)} tokens/s so far`}`;
    }
    case 'stopping':
      return `stopping after the token in progress (${s.tokens} tokens so far)…`;
    case 'done': {
      if (s.ended)
        return `stopped after ${s.tokens} tokens: the step in progress did not finish within ${STOP_GRACE_MS / 1000} s, so the worker was ended (the next generation starts a new one)`;
      const st = s.stats;
      if (st === undefined) return `${s.tokens} tokens`;
      const compile =
        s.compileMs === undefined
          ? ''
          : s.reused
            ? ' · model reused from the last run'
            : ` · compile ${s.compileMs.toFixed(0)} ms`;
      return `${s.stopped ? 'stopped after ' : ''}${st.ids.length} tokens${compile} · prefill ${st.prefillMs.toFixed(1)} ms · ${st.tokensPerSecond.toFixed(1)} tokens/s after it`;
    }
    case 'error':
      if (s.error?.stage === 'backend')
        return `${s.label} cannot start in a Web Worker in this browser: ${s.error.message}. It is not run on the page instead, where it would hold the page still until it finished: choose another backend.`;
      if (s.error?.stage === 'compile')
        return `the model did not compile on ${s.label}: ${s.error.message}`;
      return `generation failed on ${s.label}: ${s.error?.message}`;
  }
}

export function decoderLine(s: GenerationState): string | undefined {
  const info = s.info;
  if (info === undefined) return undefined;
  return info.cached
    ? `decoder: on (the prompt once, then one position per token; ${bytes(info.stateBytes)} of state kept between steps)`
    : `decoder: off, the whole prefix recomputed for every token: ${info.reason}`;
}

export function GeneratePanel(props: {
  spec: ModelSpec;
  weights: Weights;
  /** The backend menu's label. */
  backend: string;
  tokenizer: Tokenizer;
  tokenizerConfig?: HfTokenizerConfig;
  prompt: string;
  onPrompt: (prompt: string) => void;
  seed: number;
  generation: Generation;
}) {
  const { spec, tokenizer, prompt, generation } = props;
  const state = generation.state;
  const { settings, setSettings } = generation;
  const prompted = useMemo(() => {
    try {
      return { length: tokenizer.encode(prompt || ' ').length };
    } catch (e) {
      return { problem: e instanceof Error ? e.message : String(e) };
    }
  }, [tokenizer, prompt]);
  const limit = prompted.length === undefined ? 0 : maxTokensLimit(spec, prompted.length);
  const checked = checkSampling(settings, limit);
  const problems = checked.ok ? {} : checked.problems;
  const running = isRunning(state);
  const field = (name: keyof SamplingText, label: string, extra: object = {}) => (
    <label>
      {label}{' '}
      <input
        value={settings[name]}
        onChange={(e) => setSettings({ ...settings, [name]: e.target.value })}
        aria-invalid={problems[name] !== undefined}
        data-testid={name}
        {...extra}
      />
      {problems[name] && (
        <span className="field-problem" data-testid={`${name}-problem`}>
          {' '}
          {problems[name]}
        </span>
      )}
    </label>
  );
  const decoder = decoderLine(state);
  return (
    <div className="generate" data-phase={state.phase} data-testid="generate-panel">
      <div className="lm">
        <label>
          text{' '}
          <input
            value={prompt}
            onChange={(e) => props.onPrompt(e.target.value)}
            data-testid="prompt"
          />
        </label>
        {field('temperature', 'temperature', { type: 'number', step: '0.1', min: 0 })}
        {field('topK', 'top-k', { inputMode: 'numeric' })}
        {field('maxTokens', 'max tokens', { inputMode: 'numeric', size: 6 })}
        <label title="off: recompute the whole prefix for every token, to compare">
          <input
            type="checkbox"
            checked={settings.cache}
            onChange={(e) => setSettings({ ...settings, cache: e.target.checked })}
            data-testid="cache"
          />{' '}
          decoder
        </label>
        {running ? (
          <button
            type="button"
            onClick={generation.stop}
            disabled={state.phase === 'stopping'}
            data-testid="stop"
          >
            stop
          </button>
        ) : (
          <button
            type="button"
            disabled={!checked.ok || prompted.problem !== undefined}
            onClick={() =>
              checked.ok &&
              generation.start({
                label: props.backend,
                spec,
                weights: props.weights,
                tokenizer,
                tokenizerConfig: props.tokenizerConfig,
                prompt,
                sampling: { ...checked.value, seed: props.seed, cache: settings.cache },
              })
            }
            data-testid="generate"
          >
            generate
          </button>
        )}
      </div>
      {prompted.problem && <pre className="error">{prompted.problem}</pre>}
      <pre className="generated" data-testid="generated">
        {state.text}
      </pre>
      <p
        className={state.phase === 'error' ? 'generation-status error' : 'generation-status'}
        data-testid="generation-status"
      >
        {statusLine(state)}
      </p>
      {decoder && (
        <p className="generation-status" data-testid="generation-decoder">
          {decoder}
        </p>
      )}
    </div>
  );
}
