// Incremental decoding (§6.5), written once for every backend: each op says in its file how it
// runs one step at a time (OpDef.decode); decodePlan turns a spec into two ordinary specs, the
// prefill (the spec itself, its stateful nodes also returning their state) and the step (every
// stateful node reading its state and the decoder's position as further inputs), which any
// backend compiles like any spec. createDecoder runs them, carrying the state from step to step
// in whatever handles the backend keeps it in (device tensors, ONNX Runtime values).
import type { CompiledModel } from './backend.js';
import { type Dim, formatShape } from './dims.js';
import { InputError, SpecError } from './errors.js';
import { inferShapes } from './graph.js';
import { activationProblem } from './inputs.js';
import { lengthsUses } from './lengths.js';
import { type Limits, resolveLimits } from './limits.js';
import type { DecodeRule, TensorInfo } from './ops/common.js';
import { type NodeSpec, opDef } from './ops/registry.js';
import type { ModelSpec } from './schema.js';
import { numel, type Tensor, type TensorMap, tensorRecord } from './tensor.js';

/** One tensor of state carried from a step to the next. */
export interface StateSlot {
  /** The node and port it comes from (`block0:key`, `lstm:h_n`). */
  node: string;
  port: string;
  /** The step spec's input it is fed back as (`past_key_values_0_key`). */
  input: string;
  /** The output of both specs it comes out as (`present_0_key`). */
  output: string;
  /** Hugging Face's names for the pair, for ONNX graphs (`past_key_values.0.key`, `present.0.key`). */
  hfInput: string;
  hfOutput: string;
  /** Its shape in the step spec: the spec's batch dim, and `past` for a cache's positions. */
  shape: Dim[];
  /** The dim that grows with the positions seen (a key cache's), none for h_n and c_n. */
  timeDim?: number;
  /**
   * Made by the prefill from a fixed memory (a cross-attention's keys and values) and fed,
   * unchanged, to every step: the step spec reads it but does not return it.
   */
  constant?: boolean;
}

/**
 * How a spec decodes one step at a time (decodePlan's answer): its prefill and step specs and the
 * state carried between them.
 */
export interface DecodePlan {
  /** The prompt's spec (position 0): the spec with its state as further outputs. */
  prefill: ModelSpec;
  /** A later step's spec: the position and the state as further inputs, the new state out. */
  step: ModelSpec;
  /** The step spec's position input, int32 [1]: the position of the step's first token. */
  position: string;
  state: StateSlot[];
  /** The spec's batch dim (dim 0 of every input) and the decoded time (dim 1 of the stepped ones). */
  batchDim: Dim;
  timeDim: string;
  /**
   * The inputs fed to the prefill only (an encoder's source, whose time is not the decoded one,
   * and the lengths of such a source): what the spec computes from them alone runs once, and the
   * step spec leaves it out.
   */
  fixedInputs: string[];
  /**
   * The fixed inputs the step spec reads too: a memory's lengths, which mask its cached keys at
   * every step. The decoder keeps them from the prefill and feeds them to each step itself.
   */
  keptInputs: string[];
  /** The most positions the spec's positional nodes hold (positionalEmbedding's maxLength). */
  maxPositions?: number;
}

/** The symbol a cache's past positions take in the step spec. */
const PAST = 'past';

/** true when `spec` can decode one step at a time, or the reason (naming the node) it cannot. */
export function decodable(spec: ModelSpec): true | string {
  try {
    plan(spec);
    return true;
  } catch (e) {
    if (e instanceof NotDecodable) return e.message;
    throw e;
  }
}

class NotDecodable extends Error {}

/** The two specs a decoder runs; a SpecError with the reason when the spec cannot decode. */
export function decodePlan(spec: ModelSpec): DecodePlan {
  try {
    return plan(spec);
  } catch (e) {
    if (e instanceof NotDecodable)
      throw new SpecError([
        { path: ['nodes'], message: `cannot decode step by step: ${e.message}` },
      ]);
    throw e;
  }
}

function plan(spec: ModelSpec): DecodePlan {
  const inputs = Object.entries(spec.inputs);
  if (inputs.length === 0) throw new NotDecodable('the spec has no inputs');
  const shapes = inferShapes(spec);
  // Inputs named as lengths (int32 [batch]) have no time: they count another input's, and are
  // fixed with it (below, per node).
  const lengthsInputs = new Set(spec.nodes.flatMap((n) => lengthsUses(n).map((u) => u.ref)));
  const timed = inputs.filter(([name]) => !lengthsInputs.has(name));
  if (timed.length === 0) throw new NotDecodable('the spec has no inputs but lengths');
  // The decoded time: dim 1 of the first output (an encoder–decoder's target), else of the first
  // other input. Inputs with another dim 1 are fixed: the prefill reads them, the steps do not.
  const firstOutput = shapes.get(Object.values(spec.outputs)[0])?.shape[1];
  const [firstName, first] = timed[0];
  const timeDim = timed.some(([, i]) => i.shape[1] === firstOutput) ? firstOutput : first.shape[1];
  const fixedInputs: string[] = [];
  for (const [name, input] of inputs) {
    if (lengthsInputs.has(name)) {
      if (input.shape[0] !== first.shape[0])
        throw new NotDecodable(
          `inputs ${firstName} and ${name} have different batch dims ([${first.shape.join(', ')}], [${input.shape.join(', ')}])`,
        );
      fixedInputs.push(name);
      continue;
    }
    if (input.shape.length < 2 || typeof input.shape[1] !== 'string')
      throw new NotDecodable(
        `input ${name} is [${input.shape.join(', ')}]: decoding needs [batch, time, ...] with a symbolic time`,
      );
    if (input.shape[0] !== first.shape[0])
      throw new NotDecodable(
        `inputs ${firstName} and ${name} have different batch dims ([${first.shape.join(', ')}], [${input.shape.join(', ')}])`,
      );
    if (input.shape[1] !== timeDim) fixedInputs.push(name);
  }
  const time = timeDim as string;
  const sources = fixedInputs.filter((name) => !lengthsInputs.has(name)).join(', ');
  // Values computed from the fixed inputs alone (an encoder's memory): the prefill's only.
  const fixed = new Set(fixedInputs);
  for (const node of spec.nodes) if (node.input.every((ref) => fixed.has(ref))) fixed.add(node.id);
  const fixedOf = (ref: string) => fixed.has(ref) || fixed.has(ref.split(':')[0]);
  const rules = new Map<string, DecodeRule>();
  const kept = new Set<string>();
  let maxPositions: number | undefined;
  for (const node of spec.nodes) {
    if (fixed.has(node.id)) continue;
    const def = opDef(node.op)!;
    // A length counts a memory's time (kept for every step) or the decoded one, which a decoder
    // cannot give each row its own of: every step feeds every row the same positions.
    for (const use of lengthsUses(node)) {
      if (!fixedOf(node.input[use.timeOf]))
        throw new NotDecodable(
          `node ${node.id} (${node.op}) masks the padded positions of the decoded time ${JSON.stringify(timeDim)} with ${use.attr} ${JSON.stringify(use.ref)}: a decoder feeds every row the same positions, so rows cannot have lengths of their own there (decode rows of one length together)`,
        );
      kept.add(use.ref);
    }
    const ins = node.input.map((ref) => shapes.get(ref)!);
    const moved = ins.findIndex((x) => x.shape.indexOf(time) > 1);
    if (moved >= 0)
      throw new NotDecodable(
        `node ${node.id} (${node.op}) reads ${node.input[moved]} with time at dim ${ins[moved].shape.indexOf(time)}, not 1`,
      );
    const rule =
      def.decode?.(node as never, ins) ?? `mixes time steps (${node.op} has no decoding rule)`;
    if (typeof rule === 'string') throw new NotDecodable(`node ${node.id} (${node.op}) ${rule}`);
    // A fixed value may only be read where the op keeps what it makes of it (a memory slot).
    const memorySlots = new Set(rule.memory?.inputs ?? []);
    node.input.forEach((ref, k) => {
      if (memorySlots.has(k) && !fixedOf(ref))
        throw new NotDecodable(
          `node ${node.id} (${node.op}) reads ${ref} as its memory, but ${ref} moves with the decoded time ${time}`,
        );
      if (!memorySlots.has(k) && fixedOf(ref))
        throw new NotDecodable(
          `node ${node.id} (${node.op}) reads ${ref}, computed from ${sources} alone, beside the decoded time: only a memory (cross-attention) may`,
        );
    });
    rules.set(node.id, rule);
    if (node.op === 'positionalEmbedding')
      maxPositions = Math.min(maxPositions ?? node.maxLength, node.maxLength);
  }

  const taken = new Set([...Object.keys(spec.inputs), ...Object.keys(spec.outputs)]);
  const fresh = (name: string) => {
    let n = name;
    while (taken.has(n)) n = `${n}_`;
    taken.add(n);
    return n;
  };
  const position = fresh('position');
  const state: StateSlot[] = [];
  let caches = 0;
  for (const node of spec.nodes) {
    const rule = rules.get(node.id);
    for (const port of rule?.state ?? []) {
      // Hugging Face's names: a layer's self-attention cache `past_key_values.N.key`, its
      // cross-attention's `past_key_values.N.encoder.key` (as Optimum's seq2seq exports).
      const memory = rule?.memory?.ports.includes(port) === true;
      const kind = memory ? port.replace(/^memory_/, '') : port;
      const isCache = kind === 'key' || kind === 'value';
      if (port === 'key') caches++;
      const layer = caches - 1;
      const where = memory ? `${layer}.encoder.${kind}` : `${layer}.${kind}`;
      const hfInput = isCache ? `past_key_values.${where}` : `past_state.${node.id}.${port}`;
      const hfOutput = isCache ? `present.${where}` : `present_state.${node.id}.${port}`;
      state.push({
        node: node.id,
        port,
        input: fresh(hfInput.replaceAll('.', '_')),
        output: fresh(hfOutput.replaceAll('.', '_')),
        hfInput,
        hfOutput,
        shape: [],
        ...(memory ? { constant: true } : {}),
      });
    }
  }
  const withAttrs = (node: NodeSpec): NodeSpec => {
    const attrs = rules.get(node.id)?.stepAttrs;
    return (attrs === undefined ? node : { ...node, ...attrs }) as NodeSpec;
  };
  const outputsOf = (slots: StateSlot[]) =>
    Object.fromEntries(slots.map((s) => [s.output, `${s.node}:${s.port}`]));
  const prefill: ModelSpec = {
    ...spec,
    nodes: spec.nodes.map(withAttrs),
    outputs: { ...spec.outputs, ...outputsOf(state) },
  };
  // The state's shapes: the prefill's ports, the time dim renamed `past`.
  const prefillShapes = inferShapes(prefill);
  for (const s of state) {
    const info: TensorInfo = prefillShapes.get(`${s.node}:${s.port}`)!;
    const at = info.shape.indexOf(time);
    s.shape = info.shape.map((d, i) => (i === at ? PAST : d));
    if (at >= 0) s.timeDim = at;
  }
  const fixedOutput = Object.entries(spec.outputs).find(([, ref]) => fixedOf(ref));
  if (fixedOutput !== undefined)
    throw new NotDecodable(
      `output ${fixedOutput[0]} is computed from ${sources} alone, not from the decoded positions`,
    );
  const step: ModelSpec = {
    ...spec,
    inputs: {
      ...Object.fromEntries(inputs.filter(([name]) => !fixed.has(name) || kept.has(name))),
      [position]: { dtype: 'int32', shape: [1] },
      ...Object.fromEntries(state.map((s) => [s.input, { dtype: 'float32', shape: s.shape }])),
    },
    // The nodes that move with time; a memory slot's input is left out, its state read instead.
    nodes: spec.nodes
      .filter((node) => !fixed.has(node.id))
      .map((node) => {
        const rule = rules.get(node.id)!;
        const dropped = new Set(rule.memory?.inputs ?? []);
        const extra = [
          ...(rule.position === true ? [position] : []),
          ...state.filter((s) => s.node === node.id).map((s) => s.input),
        ];
        const n = withAttrs(node);
        const attrs = rule.memory?.stepAttrs ?? {};
        const input = [...n.input.filter((_, k) => !dropped.has(k)), ...extra];
        return { ...n, ...attrs, input } as NodeSpec;
      }),
    outputs: { ...spec.outputs, ...outputsOf(state.filter((s) => s.constant !== true)) },
  };
  // A plan that does not infer is a bug of an op's decoding rule, not of the user's spec.
  try {
    inferShapes(step);
  } catch (e) {
    throw new Error(
      `internal: the step spec of ${spec.name} does not infer: ${e instanceof Error ? e.message : e}`,
    );
  }
  return {
    prefill,
    step,
    position,
    state,
    batchDim: first.shape[0],
    timeDim: time,
    fixedInputs,
    keptInputs: inputs.map(([name]) => name).filter((name) => kept.has(name)),
    ...(maxPositions === undefined ? {} : { maxPositions }),
  };
}

// ---------------------------------------------------------------------------------------------
// The decoder

/** Options of `CompiledModel.decoder` and createDecoder: batch, most positions, limits. */
export interface DecoderOptions {
  /** The batch every step feeds (1 if left out). */
  batch?: number;
  /**
   * The most positions the decoder will see, prompt included: the state is checked against the
   * limits for this length before anything runs. Left out: the spec's positional maxLength, or
   * 2048 when it has none.
   */
  maxLength?: number;
  limits?: Partial<Limits>;
}

/** Runs a model one step at a time, carrying its state (key/value caches, h and c) across steps. */
export interface Decoder {
  /**
   * Feeds the next positions of every input ([batch, n, ...]: a prompt first, then one token at
   * a time, or more) and returns the outputs for those positions only.
   */
  step(inputs: TensorMap): Promise<Record<string, Tensor>>;
  /** Positions fed so far: the position of the next step's first token. */
  readonly position: number;
  readonly batch: number;
  readonly maxLength: number;
  /** Bytes the state takes once maxLength positions have been fed (caches full). */
  readonly stateBytes: number;
  /** Back to position 0; the state is released. */
  reset(): void;
  /** Frees the state and the compiled prefill and step models; no step can follow. */
  dispose(): Promise<void>;
}

/**
 * A compiled prefill or step spec as a decoder runs it: `state` holds the backend's handles for
 * the step spec's state inputs (the previous outputs, never read back to JavaScript when the
 * backend can keep them), and run returns the state outputs the same way.
 */
export interface StepModel<S> {
  /**
   * Runs the spec on `inputs` and the previous `state`; gives the outputs, and the state outputs
   * named by `stateOutputs` as handles.
   */
  run(
    inputs: Record<string, Tensor>,
    state: Record<string, S>,
    stateOutputs: readonly string[],
  ): Promise<{ outputs: Record<string, Tensor>; state: Record<string, S> }>;
  /** Frees state handles this model returned (no-op for plain arrays). */
  release(handles: readonly S[]): void;
  /** Frees the compiled model; it cannot run afterwards. */
  dispose(): Promise<void>;
}

/** A StepModel over a CompiledModel's run: the state is plain host tensors. */
export function hostStepModel(model: CompiledModel): StepModel<Tensor> {
  return {
    async run(inputs, state, stateOutputs) {
      const all = await model.run({ ...inputs, ...state });
      const outputs: Record<string, Tensor> = {};
      const next: Record<string, Tensor> = {};
      for (const [name, t] of Object.entries(all))
        (stateOutputs.includes(name) ? next : outputs)[name] = t;
      return { outputs, state: next };
    },
    release() {},
    dispose: () => model.dispose(),
  };
}

/**
 * The decoder for `spec`, compiling its prefill and step specs with `compile` (a backend's own
 * compile, returning a StepModel). Checks the batch, maxLength and the state's size against the
 * limits before compiling anything; steps run one after another, whoever calls them.
 */
export async function createDecoder<S>(
  spec: ModelSpec,
  compile: (spec: ModelSpec) => Promise<StepModel<S>>,
  options: DecoderOptions = {},
): Promise<Decoder> {
  let plan: DecodePlan;
  try {
    plan = decodePlan(spec);
  } catch (e) {
    if (e instanceof NotDecodable)
      throw new SpecError([
        { path: ['nodes'], message: `cannot decode step by step: ${e.message}` },
      ]);
    throw e;
  }
  const batch = options.batch ?? 1;
  const maxLength = options.maxLength ?? plan.maxPositions ?? 2048;
  for (const [name, value] of Object.entries({ batch, maxLength }))
    if (!Number.isSafeInteger(value) || value < 1)
      throw new InputError(`${name} must be a positive integer, got ${value}`, name);
  if (typeof plan.batchDim === 'number' && plan.batchDim !== batch)
    throw new InputError(
      `batch ${batch}, but the spec's batch is fixed at ${plan.batchDim}`,
      'batch',
    );
  if (plan.maxPositions !== undefined && maxLength > plan.maxPositions)
    throw new InputError(
      `maxLength ${maxLength} is more than the ${plan.maxPositions} positions the spec's positional embedding holds`,
      'maxLength',
    );
  const limits = resolveLimits(options.limits);
  let stateElements = 0;
  for (const s of plan.state) {
    // A memory's own length (an encoder's source) is counted at maxLength too: the bound the
    // limits are checked at before the memory is seen.
    const shape = s.shape.map((d, i) =>
      i === s.timeDim
        ? maxLength
        : d === plan.batchDim
          ? batch
          : typeof d === 'string'
            ? maxLength
            : d,
    );
    if (shape.some((d) => typeof d !== 'number'))
      throw new Error(`internal: state ${s.output} has shape [${shape.join(', ')}]`);
    const n = numel(shape as number[]);
    if (n > limits.maxActivationElements)
      throw new InputError(
        `state ${s.hfOutput} would be ${formatShape(shape)} = ${n} elements at maxLength ${maxLength}, over the limit of ${limits.maxActivationElements}`,
        'maxLength',
      );
    stateElements += n;
  }
  if (stateElements > limits.maxStateElements)
    throw new InputError(
      `the decoder's state would be ${stateElements} elements at maxLength ${maxLength} and batch ${batch}, over the limit of ${limits.maxStateElements}`,
      'maxLength',
    );

  // The largest prefill (the whole maxLength at once) and the largest step (no more than
  // maxLength − 1 past and new positions) checked against the limits once, so that each step's
  // own check finds them done. A problem is not raised here: the bound is loose, and a step
  // that really is over the limits is refused when it comes.
  for (const [s, extra] of [
    [plan.prefill, { [plan.timeDim]: maxLength }],
    [plan.step, { [plan.timeDim]: Math.max(1, maxLength - 1), [PAST]: Math.max(1, maxLength - 1) }],
  ] as const) {
    const bindings = {
      ...(typeof plan.batchDim === 'string' ? { [plan.batchDim]: batch } : {}),
      ...extra,
    };
    try {
      activationProblem(s, inferShapes(s, bindings), bindings, limits);
    } catch (e) {
      if (!(e instanceof SpecError)) throw e; // a shape rule the step will report
    }
  }

  const prefill = await compile(plan.prefill);
  let step: StepModel<S>;
  try {
    step = await compile(plan.step);
  } catch (e) {
    await prefill.dispose();
    throw e;
  }
  const stateOutputs = plan.state.map((s) => s.output);
  const stepStateOutputs = plan.state.filter((s) => s.constant !== true).map((s) => s.output);
  const constantOutputs = new Set(
    plan.state.filter((s) => s.constant === true).map((s) => s.output),
  );
  const fixedInputs = new Set(plan.fixedInputs);
  let position = 0;
  /** The state the last run returned, and the memory's state the prefill made (kept till reset). */
  let held: { model: StepModel<S>; state: Record<string, S> } | undefined;
  let kept: Record<string, S> = {};
  /** The prefill's inputs every step reads again (a memory's lengths), copied at the prefill. */
  let keptInputs: Record<string, Tensor> = {};
  let disposed = false;
  /** Bumped by reset(): a step that was running then keeps its outputs, not its state. */
  let epoch = 0;
  let queue: Promise<unknown> = Promise.resolve();
  const release = () => {
    if (held !== undefined) held.model.release(Object.values(held.state));
    held = undefined;
  };
  const releaseAll = () => {
    release();
    prefill.release(Object.values(kept));
    kept = {};
    keptInputs = {};
  };

  const checkStep = (inputs: Record<string, Tensor>): number => {
    if (inputs === null || typeof inputs !== 'object')
      throw new InputError('inputs must be an object of tensors');
    let n: number | undefined;
    const first = held === undefined;
    for (const [name, want] of Object.entries(spec.inputs)) {
      const t = inputs[name];
      if (fixedInputs.has(name) && !first) {
        if (t !== undefined)
          throw new InputError(
            'is read by the first step only (what the spec makes of it is kept); leave it out of later steps, or reset() for a new one',
            name,
          );
        continue;
      }
      if (t === undefined || !Array.isArray(t.shape))
        throw new InputError(
          `is missing (expected ${want.dtype} [${batch}${want.shape.length === 1 ? '' : ', n, ...'}])`,
          name,
        );
      if (t.shape[0] !== batch)
        throw new InputError(
          `has batch ${t.shape[0]}, but this decoder was made for batch ${batch}`,
          name,
        );
      if (fixedInputs.has(name)) continue; // a memory's source: any length of its own
      if (n !== undefined && t.shape[1] !== n)
        throw new InputError(`has ${t.shape[1]} positions, the other inputs ${n}`, name);
      n = t.shape[1];
    }
    if (n === undefined || !Number.isSafeInteger(n) || n < 1)
      throw new InputError(`a step feeds at least one position, got ${n}`);
    if (position + n > maxLength)
      throw new InputError(
        `${n} more position${n === 1 ? '' : 's'} would take the decoder to ${position + n}, past its maxLength ${maxLength}`,
      );
    return n;
  };

  const run = async (inputs: Record<string, Tensor>) => {
    if (disposed) throw new Error('this decoder has been disposed');
    const n = checkStep(inputs);
    const at = epoch;
    const first = held === undefined;
    const own: Record<string, Tensor> = {};
    for (const name of Object.keys(spec.inputs))
      if (first || !fixedInputs.has(name)) own[name] = inputs[name];
    const keeping = first ? copyKept(plan.keptInputs, own) : keptInputs;
    const result = first
      ? await prefill.run(own, {}, stateOutputs)
      : await step.run(
          {
            ...own,
            ...keptInputs,
            [plan.position]: { dtype: 'int32', shape: [1], data: Int32Array.of(position) },
          },
          Object.fromEntries(
            plan.state.map((s) => [
              s.input,
              s.constant === true ? kept[s.output] : held!.state[s.output],
            ]),
          ),
          stepStateOutputs,
        );
    const model = first ? prefill : step;
    if (at !== epoch || disposed) {
      model.release(Object.values(result.state));
      return result.outputs;
    }
    release();
    const moving: Record<string, S> = {};
    keptInputs = keeping;
    for (const [name, handle] of Object.entries(result.state))
      if (constantOutputs.has(name)) kept[name] = handle;
      else moving[name] = handle;
    held = { model, state: moving };
    position += n;
    return result.outputs;
  };

  return {
    step(inputs) {
      const given = inputs instanceof Map ? tensorRecord(inputs) : inputs;
      const next = queue.then(() => run(given));
      queue = next.catch(() => undefined);
      return next;
    },
    get position() {
      return position;
    },
    batch,
    maxLength,
    stateBytes: stateElements * 4,
    reset() {
      epoch++;
      releaseAll();
      position = 0;
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      await queue;
      releaseAll();
      await prefill.dispose();
      await step.dispose();
    },
  };
}

/** Copies of the inputs named (the caller may reuse its arrays between steps). */
function copyKept(
  names: readonly string[],
  inputs: Record<string, Tensor>,
): Record<string, Tensor> {
  return Object.fromEntries(
    names.map((name) => {
      const t = inputs[name];
      return [name, { ...t, shape: [...t.shape], data: t.data.slice() } as Tensor];
    }),
  );
}
