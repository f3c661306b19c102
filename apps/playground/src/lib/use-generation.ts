// The language-model panel's generation as one reducer's state: the page asks the worker
// (src/generate.worker.ts) to generate and folds its answers in; Stop asks it to stop after the
// token in progress, and ends the worker when that step does not finish soon.
import type { GenerateStart, GenerateStats, HfTokenizerConfig, Tokenizer } from '@tessera/lm';
import type { ModelSpec, Weights } from '@tessera/spec';
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import {
  defaultSamplingText,
  type FromWorker,
  type Keyed,
  type ModelSource,
  type Sampling,
  type SamplingText,
  type Stage,
  type TokenizerSource,
  type ToWorker,
  transferableWeights,
} from './generation';
import { laneOf } from './worker-lanes';

export type Phase = 'idle' | 'compiling' | 'generating' | 'stopping' | 'done' | 'error';

export interface GenerationState {
  phase: Phase;
  /** The request the state is about; answers to an earlier one are ignored. */
  id: number;
  /** The backend variant it runs on. */
  label: string;
  text: string;
  tokens: number;
  compileMs?: number;
  /** The worker reused the model it compiled for the previous request. */
  reused?: boolean;
  info?: GenerateStart;
  /** performance.now() when the first token and the latest arrived, for the rate so far. */
  firstAt?: number;
  lastAt?: number;
  stats?: GenerateStats;
  stopped: boolean;
  /** Stop ended the worker: the step in progress did not finish within STOP_GRACE_MS. */
  ended?: boolean;
  error?: { stage: Stage; message: string };
}

export type GenerationAction =
  | { type: 'request'; id: number; label: string }
  | { type: 'stop' }
  | { type: 'ended' }
  /** What it generated no longer matches the page (another spec, prompt or backend). */
  | { type: 'reset' }
  | { type: 'message'; message: FromWorker; at: number };

export const initialGeneration: GenerationState = {
  phase: 'idle',
  id: 0,
  label: '',
  text: '',
  tokens: 0,
  stopped: false,
};

export function isRunning(s: GenerationState): boolean {
  return s.phase === 'compiling' || s.phase === 'generating' || s.phase === 'stopping';
}

export function generationReducer(s: GenerationState, a: GenerationAction): GenerationState {
  switch (a.type) {
    case 'request':
      return { ...initialGeneration, phase: 'compiling', id: a.id, label: a.label };
    case 'stop':
      return s.phase === 'compiling' || s.phase === 'generating' ? { ...s, phase: 'stopping' } : s;
    case 'ended':
      return isRunning(s) ? { ...s, phase: 'done', stopped: true, ended: true } : s;
    case 'reset':
      // The id is kept: answers still on their way for it are ignored (the phase is idle).
      return s.phase === 'idle' ? s : { ...initialGeneration, id: s.id };
    case 'message': {
      const m = a.message;
      if (m.id !== s.id || !isRunning(s)) return s;
      switch (m.type) {
        case 'compiled':
          return { ...s, compileMs: m.ms, reused: m.reused };
        case 'started':
          return { ...s, phase: s.phase === 'stopping' ? s.phase : 'generating', info: m.info };
        case 'token':
          return {
            ...s,
            text: m.text,
            tokens: m.index + 1,
            firstAt: s.firstAt ?? a.at,
            lastAt: a.at,
          };
        case 'done':
          return {
            ...s,
            phase: 'done',
            text: m.text,
            tokens: m.stats.ids.length,
            stats: m.stats,
            stopped: m.stopped,
          };
        case 'error':
          return { ...s, phase: 'error', error: { stage: m.stage, message: m.message } };
      }
    }
  }
}

/** Tokens per second so far, from the arrival of the first token to that of the latest. */
export function rateSoFar(s: GenerationState): number | undefined {
  if (s.firstAt === undefined || s.lastAt === undefined || s.lastAt <= s.firstAt) return undefined;
  return ((s.tokens - 1) * 1000) / (s.lastAt - s.firstAt);
}

export interface GenerationRequest {
  label: string;
  spec: ModelSpec;
  weights: Weights;
  tokenizer: Tokenizer;
  /** A Hugging Face tokenizer's tokenizer_config.json, when one was loaded with it. */
  tokenizerConfig?: HfTokenizerConfig;
  prompt: string;
  sampling: Sampling;
}

/**
 * How long Stop waits for the step in progress before it ends the worker (a compile or a long
 * kernel cannot be interrupted; a new worker starts with the next request).
 */
export const STOP_GRACE_MS = 3000;

/** The panel's fields, kept here so that they outlive the panel (another tab unmounts it). */
export interface GenerationSettings extends SamplingText {
  cache: boolean;
}

export interface Generation {
  state: GenerationState;
  settings: GenerationSettings;
  setSettings(settings: GenerationSettings): void;
  start(request: GenerationRequest): void;
  stop(): void;
  /** Stops a generation in progress and clears what was generated. */
  clear(): void;
}

export function useGeneration(): Generation {
  const [state, dispatch] = useReducer(generationReducer, initialGeneration);
  const [settings, setSettings] = useState<GenerationSettings>({
    ...defaultSamplingText,
    cache: true,
  });
  const worker = useRef<Worker | null>(null);
  /** The lane (src/lib/worker-lanes.ts) of the variants the worker has started. */
  const lane = useRef<string | undefined>(undefined);
  // What the worker holds (by identity), so that an unchanged model or tokenizer is not resent.
  const sent = useRef<{
    model?: { key: number; label: string; spec: ModelSpec; weights: Weights };
    tokenizer?: { key: number; tokenizer: Tokenizer; config?: HfTokenizerConfig };
  }>({});
  const ids = useRef({ request: 0, key: 0, running: 0 });
  const grace = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const end = useCallback(() => {
    clearTimeout(grace.current);
    worker.current?.terminate();
    worker.current = null;
    sent.current = {};
  }, []);
  useEffect(() => end, [end]);

  const workerOf = useCallback((): Worker => {
    if (worker.current !== null) return worker.current;
    const w = new Worker(new URL('../generate.worker.ts', import.meta.url), { type: 'module' });
    w.addEventListener('message', (e: MessageEvent<FromWorker>) => {
      const m = e.data;
      if (m.type === 'done' || m.type === 'error') {
        clearTimeout(grace.current);
        if (ids.current.running === m.id) ids.current.running = 0;
        // The worker drops what it held after a failure.
        if (m.type === 'error') sent.current = {};
      }
      dispatch({ type: 'message', message: m, at: performance.now() });
    });
    w.addEventListener('error', (e) => {
      const id = ids.current.running;
      end();
      dispatch({
        type: 'message',
        message: {
          type: 'error',
          id,
          stage: 'backend',
          message: `the generation worker failed: ${e.message || 'it did not load'}`,
        },
        at: performance.now(),
      });
    });
    worker.current = w;
    return w;
  }, [end]);

  const start = useCallback(
    (r: GenerationRequest) => {
      const id = ++ids.current.request;
      ids.current.running = id;
      // A WebGL variant never shares its worker: another variant's contexts would evict its own.
      if (lane.current !== laneOf(r.label)) end();
      lane.current = laneOf(r.label);
      const w = workerOf();
      const transfer: ArrayBuffer[] = [];
      const held = sent.current;
      let model: Keyed<ModelSource>;
      if (
        held.model?.label === r.label &&
        held.model.spec === r.spec &&
        held.model.weights === r.weights
      ) {
        model = { key: held.model.key };
      } else {
        const copy = transferableWeights(r.weights);
        transfer.push(...copy.buffers);
        const key = ++ids.current.key;
        model = { key, value: { label: r.label, spec: r.spec, weights: copy.weights } };
        held.model = { key, label: r.label, spec: r.spec, weights: r.weights };
      }
      let tokenizer: Keyed<TokenizerSource>;
      if (
        held.tokenizer?.tokenizer === r.tokenizer &&
        held.tokenizer.config === r.tokenizerConfig
      ) {
        tokenizer = { key: held.tokenizer.key };
      } else {
        const key = ++ids.current.key;
        tokenizer = { key, value: { file: r.tokenizer.toJSON(), config: r.tokenizerConfig } };
        held.tokenizer = { key, tokenizer: r.tokenizer, config: r.tokenizerConfig };
      }
      dispatch({ type: 'request', id, label: r.label });
      const message: ToWorker = {
        type: 'start',
        id,
        assetsBase: document.baseURI,
        model,
        tokenizer,
        prompt: r.prompt,
        sampling: r.sampling,
      };
      w.postMessage(message, transfer);
    },
    [workerOf, end],
  );

  const stop = useCallback(() => {
    const id = ids.current.running;
    if (id === 0 || worker.current === null) return;
    const message: ToWorker = { type: 'stop', id };
    worker.current.postMessage(message);
    dispatch({ type: 'stop' });
    clearTimeout(grace.current);
    grace.current = setTimeout(() => {
      if (ids.current.running !== id) return;
      ids.current.running = 0;
      end();
      dispatch({ type: 'ended' });
    }, STOP_GRACE_MS);
  }, [end]);

  const clear = useCallback(() => {
    if (ids.current.running !== 0) stop();
    dispatch({ type: 'reset' });
  }, [stop]);

  return { state, settings, setSettings, start, stop, clear };
}
