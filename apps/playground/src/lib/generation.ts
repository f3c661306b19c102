// Text generation for the language-model panel, run in a Web Worker (src/generate.worker.ts) so
// that the page never waits on a model: the messages between the page and the worker, the check
// of the settings a person types, and the worker's side of the conversation (generationHost).
import {
  type GenerateStart,
  type GenerateStats,
  generateStream,
  type HfTokenizerConfig,
  type HfTokenizerFile,
  lmOptionsOf,
  type Tokenizer,
  tokenizerFromJSON,
  type VocabFile,
} from '@tessera/lm';
import {
  type Backend,
  type CompiledModel,
  type ManifestEntry,
  type ModelSpec,
  startVariant,
  type Tensor,
  unmetNeed,
  type VariantNeeds,
  type Weights,
} from '@tessera/spec';
import { browserEntries } from './manifests';

export interface Sampling {
  maxTokens: number;
  /** 0: greedy. */
  temperature: number;
  /** 0: every token. */
  topK: number;
  seed: number;
  /** false: recompute the whole prefix for every token instead of using the decoder. */
  cache: boolean;
}

/** A tokenizer as it crosses to the worker: its JSON, and a Hugging Face tokenizer's config. */
export interface TokenizerSource {
  file: VocabFile | HfTokenizerFile;
  config?: HfTokenizerConfig;
}

/** What the worker compiles: the backend variant (its menu label), the spec and its weights. */
export interface ModelSource {
  label: string;
  spec: ModelSpec;
  weights: Weights;
}

/**
 * The model and the tokenizer are sent with their `key` only when they change; otherwise only
 * the key goes, and the worker reuses what it compiled or built for it.
 */
export type Keyed<T> = { key: number; value?: T };

export type ToWorker =
  | {
      type: 'start';
      id: number;
      /** The page's base URL: the wasm files the manifests name are served beside it. */
      assetsBase: string;
      model: Keyed<ModelSource>;
      tokenizer: Keyed<TokenizerSource>;
      prompt: string;
      sampling: Sampling;
    }
  | { type: 'stop'; id: number };

/** Where a generation failed: the backend did not start here, the model did not compile, ... */
export type Stage = 'backend' | 'compile' | 'generate';

export type FromWorker =
  | { type: 'compiled'; id: number; ms: number; reused: boolean }
  | { type: 'started'; id: number; info: GenerateStart }
  | { type: 'token'; id: number; index: number; token: number; text: string }
  | { type: 'done'; id: number; stats: GenerateStats; text: string; stopped: boolean }
  | { type: 'error'; id: number; stage: Stage; message: string };

/** The most tokens one click may ask for when the spec sets no context length. */
export const PAGE_MAX_TOKENS = 4096;

/** The most new tokens after `promptLength` prompt tokens: the context's room, or the page's cap. */
export function maxTokensLimit(spec: ModelSpec, promptLength: number): number {
  const { contextLength } = lmOptionsOf(spec);
  return Math.max(0, Math.min(PAGE_MAX_TOKENS, (contextLength ?? Infinity) - promptLength));
}

/** The settings as typed in the panel's fields. */
export interface SamplingText {
  maxTokens: string;
  temperature: string;
  topK: string;
}

export const defaultSamplingText: SamplingText = { maxTokens: '24', temperature: '0.8', topK: '8' };

/** Each field's problem, in words a person can act on, or the settings when every field is good. */
export function checkSampling(
  text: SamplingText,
  limit: number,
):
  | { ok: true; value: Pick<Sampling, 'maxTokens' | 'temperature' | 'topK'> }
  | { ok: false; problems: Partial<Record<keyof SamplingText, string>> } {
  const problems: Partial<Record<keyof SamplingText, string>> = {};
  const whole = (s: string) => (/^\s*\d+\s*$/.test(s) ? Number(s) : Number.NaN);
  const maxTokens = whole(text.maxTokens);
  if (limit < 1) problems.maxTokens = 'the prompt already fills the context: shorten it';
  else if (!(maxTokens >= 1 && maxTokens <= limit))
    problems.maxTokens = `a whole number from 1 to ${limit}`;
  const temperature = text.temperature.trim() === '' ? Number.NaN : Number(text.temperature);
  if (!(temperature >= 0 && Number.isFinite(temperature)))
    problems.temperature = 'a number ≥ 0 (0: always the most likely token)';
  const topK = whole(text.topK);
  if (!(topK >= 0)) problems.topK = 'a whole number ≥ 0 (0: every token)';
  return Object.keys(problems).length > 0
    ? { ok: false, problems }
    : { ok: true, value: { maxTokens, temperature, topK } };
}

/** Copies of the weights whose buffers can be transferred: the page keeps its own for its runs. */
export function transferableWeights(weights: Weights): {
  weights: Weights;
  buffers: ArrayBuffer[];
} {
  const out: Weights = new Map();
  const buffers: ArrayBuffer[] = [];
  for (const [name, t] of weights) {
    // slice() gives a buffer of exactly the tensor, even where the page's is a view into a file.
    const data = t.data.slice() as Tensor['data'];
    buffers.push(data.buffer as ArrayBuffer);
    out.set(name, { ...t, data });
  }
  return { weights: out, buffers };
}

/**
 * Why `needs` cannot be met in a worker, or undefined. A worker has no document, so a WebGL
 * context is asked of an OffscreenCanvas (spec's unmetNeed asks a document's canvas: this part
 * belongs there); the other needs are unmetNeed's.
 */
export async function unmetInWorker(needs: VariantNeeds = {}): Promise<string | undefined> {
  if (needs.webgl !== undefined) {
    const kind = needs.webgl === 2 ? 'webgl2' : 'webgl';
    if (typeof OffscreenCanvas === 'undefined')
      return `needs a ${kind} context, and this browser has no OffscreenCanvas in a Web Worker`;
    const gl = new OffscreenCanvas(1, 1).getContext(kind) as WebGLRenderingContext | null;
    if (gl === null)
      return `needs a ${kind} context, and OffscreenCanvas.getContext("${kind}") in a Web Worker gave none`;
    gl.getExtension('WEBGL_lose_context')?.loseContext();
  }
  return unmetNeed({ ...needs, webgl: undefined });
}

/** Starts a browser variant inside a worker: startVariant with the worker's check of its needs. */
export async function startInWorker(entry: ManifestEntry, assetsBase: string): Promise<Backend> {
  const reason = await unmetInWorker(entry.variant.needs);
  if (reason !== undefined) throw new Error(reason);
  const wasm = entry.variant.needs?.wasm;
  // Checked above; startVariant only needs to know where the wasm files are.
  const variant = { ...entry.variant, needs: wasm === undefined ? undefined : { wasm } };
  return startVariant({ ...entry, variant }, { assetsBase });
}

/**
 * Resolves in a task of its own. A model's steps chain promises only, so without this a worker
 * would not take the page's next message (a stop) before the whole generation had ended; a
 * MessageChannel's task comes without setTimeout's clamping to 4 ms.
 */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** A failure with the stage it happened at. */
class StageError extends Error {
  constructor(
    readonly stage: Stage,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The worker's side: `handle` takes each message from the page, `post` answers. One generation
 * runs at a time; a new start stops the one running. The started backends, the last compiled
 * model and the last tokenizer are kept for the next start.
 */
export function generationHost(
  post: (message: FromWorker) => void,
  start: (entry: ManifestEntry, assetsBase: string) => Promise<Backend> = startInWorker,
): (message: ToWorker) => Promise<void> {
  const backends = new Map<string, Promise<Backend>>();
  let model: { key: number; spec: ModelSpec; compiled: CompiledModel } | undefined;
  let tokenizer: { key: number; tokenizer: Tokenizer } | undefined;
  let running: { id: number; controller: AbortController; done: Promise<void> } | undefined;

  async function backendOf(label: string, assetsBase: string): Promise<Backend> {
    const entry = browserEntries().find((e) => e.label === label);
    if (entry === undefined) throw new Error(`no backend variant ${label} in this playground`);
    let b = backends.get(label);
    if (b === undefined) {
      b = start(entry, assetsBase);
      backends.set(label, b);
      // A failure is not kept: the next start tries again.
      b.catch(() => backends.delete(label));
    }
    return b;
  }

  async function compiled(
    m: Extract<ToWorker, { type: 'start' }>,
  ): Promise<{ spec: ModelSpec; compiled: CompiledModel }> {
    const source = m.model.value;
    if (source === undefined) {
      if (model?.key !== m.model.key) throw new Error('the worker has no model for this key');
      post({ type: 'compiled', id: m.id, ms: 0, reused: true });
      return model;
    }
    let backend: Backend;
    try {
      backend = await backendOf(source.label, m.assetsBase);
    } catch (e) {
      throw new StageError('backend', messageOf(e));
    }
    const old = model;
    model = undefined;
    await old?.compiled.dispose();
    const t0 = performance.now();
    const c = await backend.compile(source.spec, source.weights);
    model = { key: m.model.key, spec: source.spec, compiled: c };
    post({ type: 'compiled', id: m.id, ms: performance.now() - t0, reused: false });
    return model;
  }

  function tokenizerOf(m: Extract<ToWorker, { type: 'start' }>): Tokenizer {
    const source = m.tokenizer.value;
    if (source !== undefined)
      tokenizer = {
        key: m.tokenizer.key,
        tokenizer: tokenizerFromJSON(source.file, source.config),
      };
    if (tokenizer?.key !== m.tokenizer.key)
      throw new Error('the worker has no tokenizer for this key');
    return tokenizer.tokenizer;
  }

  async function generateFor(m: Extract<ToWorker, { type: 'start' }>, signal: AbortSignal) {
    let stage: Stage = 'compile';
    try {
      const { spec, compiled: c } = await compiled(m);
      // A stop sent while the model compiled is seen before the prompt runs.
      await nextTask();
      stage = 'generate';
      const tok = tokenizerOf(m);
      const ids: number[] = [];
      const stream = generateStream(c, tok.encode(m.prompt || ' '), {
        ...lmOptionsOf(spec),
        ...m.sampling,
        stopTokens: tok.eosId === undefined ? undefined : [tok.eosId],
        signal,
        onStart: (info) => post({ type: 'started', id: m.id, info }),
      });
      for (;;) {
        const r = await stream.next();
        if (r.done === true) {
          post({
            type: 'done',
            id: m.id,
            stats: r.value,
            text: tok.decode(ids),
            stopped: signal.aborted,
          });
          return;
        }
        ids.push(r.value);
        // The whole continuation is decoded each time: a BPE token alone can decode differently
        // (SentencePiece's leading space, a UTF-8 character split over byte tokens).
        post({
          type: 'token',
          id: m.id,
          index: ids.length - 1,
          token: r.value,
          text: tok.decode(ids),
        });
        await nextTask();
      }
    } catch (e) {
      // After a failure nothing is reused: the page sends the model and the tokenizer again.
      await model?.compiled.dispose().catch(() => undefined);
      model = undefined;
      tokenizer = undefined;
      post({
        type: 'error',
        id: m.id,
        stage: e instanceof StageError ? e.stage : stage,
        message: messageOf(e),
      });
    }
  }

  return async (m) => {
    if (m.type === 'stop') {
      if (running?.id === m.id) running.controller.abort();
      return;
    }
    const previous = running;
    previous?.controller.abort();
    const controller = new AbortController();
    const done = (async () => {
      await previous?.done;
      await generateFor(m, controller.signal);
    })();
    running = { id: m.id, controller, done };
    await done;
  };
}
