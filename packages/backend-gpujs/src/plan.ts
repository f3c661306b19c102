// A plan: the kernel runs of one model at one set of bound shapes, recorded once by the op
// kernels and replayed on every run. Kernels are built once per source and argument sizes and
// shared by every plan of a compiled model (and its decoder's); a kernel of a dynamic node (one
// whose sizes change from run to run, a decoder's cache) takes its shape numbers as arguments
// and is built once per source, resized at every call (gpu.js's dynamicOutput and
// dynamicArguments).
import { type LoweredNode, UnsupportedOpError, weightName } from '@tessera/spec';
import type { GPU, IGPUKernelSettings, IKernelRunShortcut } from 'gpu.js';
import { kernelFunction, lit, MAX_ARRAY_ARGS, MINUS_HUGE_VALUE } from './kernels/source.js';
import type { Arg, Body, KernelContext, Num, RunTimeArg, Value } from './kernels/types.js';

/** What a variant can take; checked while a plan is recorded, before any kernel is built. */
export interface ModeLimits {
  /** Most elements a kernel output or argument may hold: indices are float32, exact below 2^23. */
  maxElements: number;
  /** Most iterations of one generated loop. */
  maxLoop: number;
  /** Kernels return promises (gpu.js's async contract); the executor awaits them. */
  asyncMode?: boolean;
  /** Kernel arithmetic is IEEE 754 with its infinities (cpu, webasm); see KernelContext.minusInfinity. */
  infinities?: boolean;
  /**
   * gpu.js builds a kernel again for every new set of sizes (webasm: a wasm module per size
   * signature), so a dynamic kernel's output is rounded up to a size class (sizeClass), its
   * threads past the real size returning 0: one build serves a range of sizes. Kernels read such
   * outputs as arrays longer than their tensors (never past the tensor's end).
   */
  sizeClasses?: boolean;
}

/** n rounded up to one of four sizes per power of two (at most 25% more). */
export function sizeClass(n: number): number {
  const grain = 2 ** Math.max(0, Math.floor(Math.log2(n)) - 2);
  return Math.ceil(n / grain) * grain;
}

export type PlanArg =
  | { slot: number }
  | Float32Array
  | number
  /** Made at every run from model input `input` (RunTimeArg). */
  | { input: number; length: number; make: RunTimeArg['make'] };

export interface Step {
  kernel: IKernelRunShortcut;
  args: PlanArg[];
  out: number;
  /** The spec node the kernel computes (part of), for profiles. */
  node: { id: string; op: string };
  size: number;
  /** A kernel built for every size: its output is set to `size` (or its sizeClass) per call. */
  dynamic: boolean;
  /** The output is rounded up to sizeClass(size) (ModeLimits.sizeClasses). */
  classed: boolean;
  /** A dynamic kernel's loops bound by its arguments (checked again where a plan is derived). */
  loops: Loop[];
}

/** One kernel call of a run, as reported to `onKernelRun`. */
export interface KernelRun {
  nodeId: string;
  op: string;
  /** Wall-clock time of the call (awaited when the kernel is async). */
  ms: number;
  /** Output elements the kernel computed. */
  outputs: number;
}

export interface Plan {
  steps: Step[];
  /** Number of slots (inputs first, then one per step). */
  slots: number;
}

export class KernelCache {
  private readonly kernels = new Map<string, IKernelRunShortcut>();

  /** Cleared by destroy: a disposed model kept by its caller must not keep gpu.js alive. */
  private gpu: GPU | null;

  constructor(
    gpu: GPU,
    readonly limits: ModeLimits,
    private readonly onSource?: (source: string) => void,
  ) {
    this.gpu = gpu;
  }

  get size(): number {
    return this.kernels.size;
  }

  get(
    body: string,
    size: number,
    args: Arg[],
    where: { op: string; id: string },
    dynamic = false,
  ): IKernelRunShortcut {
    // Kernels are written to stay within this; one that does not is a bug here, not a bad spec.
    const arrays = args.filter((a) => typeof a !== 'number').length;
    if (arrays > MAX_ARRAY_ARGS)
      throw new Error(
        `internal: a ${where.op} kernel takes ${arrays} arrays, over the ${MAX_ARRAY_ARGS} a kernel may bind`,
      );
    const sizes = args.map((a) =>
      typeof a === 'number'
        ? 'n'
        : a instanceof Float32Array
          ? a.length
          : 'make' in a
            ? a.length
            : numel(a.shape),
    );
    const loops = loopsOf(body, where.op);
    checkRun(
      this.limits,
      where,
      [size, ...sizes.filter((n) => typeof n === 'number')],
      loops,
      args,
    );
    // A dynamic kernel's source holds no size: one kernel for every size, told them per call.
    const key = dynamic
      ? `*|${sizes.map((s) => (s === 'n' ? 'n' : 'a')).join(',')}|${body}`
      : `${size}|${sizes.join(',')}|${body}`;
    let kernel = this.kernels.get(key);
    if (kernel === undefined) {
      if (this.gpu === null) throw new Error('this compiled model was disposed');
      const source = kernelFunction(args.length, body);
      this.onSource?.(source);
      kernel = this.gpu.createKernel(source, {
        output: [size],
        pipeline: true,
        // A fresh result per call: a plan keeps several results of one kernel alive (recurrences).
        immutable: true,
        precision: 'single',
        tactic: 'precision',
        loopMaxIterations: this.limits.maxLoop,
        asyncMode: this.limits.asyncMode === true,
        dynamicOutput: dynamic,
        // With size classes a static kernel may read a dynamic one's rounded-up output: the same
        // values, a longer array (at most two lengths per argument, each built once).
        dynamicArguments: dynamic || this.limits.sizeClasses === true,
      } as IGPUKernelSettings);
      // gpu.js's webasm keeps a wasm build per set of sizes, 8 at most (LRU); a decoder's kernels
      // see one or more per size class of its cache (16 up to 32 positions, 40 up to 2048), so
      // with 8 every round of steps rebuilt them all (scripts/soak.mts).
      if (this.limits.sizeClasses === true)
        (kernel as IKernelRunShortcut & { moduleCacheLimit?: number }).moduleCacheLimit = 64;
      this.kernels.set(key, kernel);
    }
    return kernel;
  }

  /** Destroys every kernel and the GPU instance (its context and, on GL, textures). */
  async destroy(): Promise<void> {
    const gpu = this.gpu;
    this.gpu = null;
    const kernels = [...this.kernels.values()];
    this.kernels.clear();
    await Promise.all(kernels.map((k) => k.destroy()));
    await gpu?.destroy();
  }
}

/** A generated loop: its bound, a literal or number argument `arg`, and its step. */
export interface Loop {
  bound: number | { arg: number };
  step: number;
}

/**
 * The loops of a kernel body. Every generated loop has a literal bound, or in a dynamic kernel a
 * number argument (which gpu.js caps at loopMaxIterations on GL).
 */
export function loopsOf(body: string, op: string): Loop[] {
  const count = body.match(/for \(/g)?.length ?? 0;
  const bounded = [
    ...body.matchAll(/for \(let \w+ = 0; \w+ < ([0-9]+|a[0-9]+); \w+(?:\+\+| \+= ([0-9]+))\) \{/g),
  ];
  if (bounded.length !== count)
    throw new Error(`internal: a ${op} kernel has a loop without a literal bound`);
  return bounded.map((m) => ({
    bound: m[1][0] === 'a' ? { arg: Number(m[1].slice(1)) } : Number(m[1]),
    step: Number(m[2] ?? 1),
  }));
}

/**
 * Refuses, with UnsupportedOpError naming the node, a kernel run the variant cannot take: a
 * tensor (`sizes`: the output's and arrays') over maxElements, a loop over maxLoop iterations.
 */
export function checkRun(
  limits: ModeLimits,
  where: { op: string; id: string },
  sizes: readonly number[],
  loops: readonly Loop[],
  args: readonly unknown[],
): void {
  for (const n of sizes) {
    if (n > limits.maxElements) {
      throw new UnsupportedOpError(
        where.op,
        `a tensor of ${n} elements is over this variant's limit of ${limits.maxElements} (kernel indices are float32)`,
        where.id,
      );
    }
  }
  for (const loop of loops) {
    const bound = typeof loop.bound === 'number' ? loop.bound : args[loop.bound.arg];
    if (typeof bound !== 'number')
      throw new Error(`internal: a ${where.op} kernel's loop is bound by a non-number`);
    const iterations = Math.ceil(bound / loop.step);
    if (iterations > limits.maxLoop) {
      throw new UnsupportedOpError(
        where.op,
        `a loop of ${iterations} iterations is over this variant's limit of ${limits.maxLoop}`,
        where.id,
      );
    }
  }
}

function numel(shape: readonly number[]): number {
  return shape.reduce((p, d) => p * d, 1);
}

/** Records a plan; `firstSlot` slots are reserved for the model inputs. */
export class PlanBuilder {
  readonly steps: Step[] = [];
  private next: number;

  constructor(
    private readonly cache: KernelCache,
    private readonly firstSlot: number,
  ) {
    this.next = firstSlot;
  }

  /** `dynamic`: the node's sizes change between runs of the kernels recorded for it. */
  context(
    node: Pick<LoweredNode, 'op' | 'id' | 'weights'> & { weightPrefix?: string },
    weights: Map<string, Float32Array>,
    dynamic = false,
  ): KernelContext {
    const name = (param: string) => weightName(node, param);
    return {
      dynamic,
      minusInfinity: this.cache.limits.infinities === true ? -Infinity : MINUS_HUGE_VALUE,
      hasWeight: (w) => weights.has(name(w)),
      weight: (w) => {
        const data = weights.get(name(w));
        if (data === undefined)
          throw new Error(`weight ${name(w)} is missing (checkWeights should have caught it)`);
        return data;
      },
      run: (shape: number[], given: Arg[], body: Body): Value => {
        const size = Math.max(1, numel(shape));
        const classed =
          dynamic && typeof body !== 'string' && this.cache.limits.sizeClasses === true;
        const { text, args, sized } = this.source(given, body, dynamic, classed ? size : undefined);
        const kernel = this.cache.get(text, size, args, node, sized);
        const out = this.next++;
        this.steps.push({
          node: { id: node.id, op: node.op },
          size,
          kernel,
          args: args.map((a) => this.planArg(a, node)),
          out,
          dynamic: sized,
          classed,
          loops: sized ? loopsOf(text, node.op).filter((l) => typeof l.bound !== 'number') : [],
        });
        return { shape, slot: out };
      },
    };
  }

  /**
   * The kernel source of `body` and its arguments: in a dynamic node a Body function's shape
   * numbers become number arguments after `given` (`sized`: the kernel is built for every size).
   * `guard`: the real output size, past which a thread of a classed output returns 0.
   */
  private source(given: Arg[], body: Body, dynamic: boolean, guard?: number) {
    if (typeof body === 'string') return { text: body, args: given, sized: false };
    if (!dynamic) return { text: body(lit), args: given, sized: false };
    const args = [...given];
    const n: Num = Object.assign(
      (x: number) => {
        lit(x); // finite, or a compiler bug
        args.push(x);
        return `a${args.length - 1}`;
      },
      { dynamic: true },
    );
    const head = guard === undefined ? '' : `if (i >= ${n(guard)}) {\nreturn 0;\n}\n`;
    return { text: head + body(n), args, sized: true };
  }

  private planArg(a: Arg, node: { op: string; id: string }): PlanArg {
    if (typeof a === 'number' || a instanceof Float32Array) return a;
    if (!('make' in a)) return { slot: a.slot };
    // Made on the host from the input's values, which only a model input has there.
    if (a.from.slot >= this.firstSlot)
      throw new UnsupportedOpError(
        node.op,
        'reads its position from a computed value; gpu.js kernels take a position only from a model input',
        node.id,
      );
    return { input: a.from.slot, length: a.length, make: a.make };
  }

  build(): Plan {
    return { steps: this.steps, slots: this.next };
  }
}

/** What a kernel returns: a Float32Array (cpu, webasm), a Texture (GL) or a promise of either (async). */
export type Data = Float32Array | { toArray(): unknown; delete?(): void };

/**
 * Runs a plan over the model inputs (slots 0..n-1); returns every slot's data. With `onKernelRun`,
 * every call is timed; on webgl2/webgpu a call returns once the work is queued, so there the times
 * say little about the GPU (use the browser's GPU profiler).
 */
export async function execute(
  plan: Plan,
  inputs: Data[],
  onKernelRun?: (run: KernelRun) => void,
): Promise<Data[]> {
  const slots: Data[] = new Array(plan.slots);
  inputs.forEach((x, k) => {
    slots[k] = x;
  });
  const made = (a: { input: number; length: number; make: RunTimeArg['make'] }) => {
    const input = slots[a.input];
    if (!(input instanceof Float32Array)) throw new Error('internal: a position is not host data');
    const values = a.make(input);
    if (values.length !== a.length)
      throw new Error(`internal: a run-time argument has ${values.length} values, not ${a.length}`);
    return values;
  };
  try {
    for (const step of plan.steps) {
      const args = step.args.map((a) =>
        typeof a === 'number' || a instanceof Float32Array
          ? a
          : 'make' in a
            ? made(a)
            : slots[a.slot],
      );
      if (step.dynamic) step.kernel.setOutput([step.classed ? sizeClass(step.size) : step.size]);
      const start = onKernelRun === undefined ? 0 : performance.now();
      let result = (step.kernel as unknown as (...a: unknown[]) => unknown)(...args);
      if (result instanceof Promise) result = await result;
      slots[step.out] = result as Data;
      if (onKernelRun !== undefined) {
        onKernelRun({
          nodeId: step.node.id,
          op: step.node.op,
          ms: performance.now() - start,
          outputs: step.size,
        });
      }
    }
  } catch (e) {
    // A run stopped part way (a position past maxLength): free what it made so far.
    release(slots, inputs.length);
    throw e;
  }
  return slots;
}

/** A slot's data as a Float32Array of `n` values (a copy: results never alias kernel memory). */
export async function readSlot(data: Data, n: number): Promise<Float32Array> {
  if (data instanceof Float32Array) return new Float32Array(data.subarray(0, n));
  let values = data.toArray();
  if (values instanceof Promise) values = await values;
  const flat =
    values instanceof Float32Array
      ? values
      : Float32Array.from((values as ArrayLike<number>[]).flatMap((row) => Array.from(row)));
  return new Float32Array(flat.subarray(0, n));
}

/** Releases GPU textures a run created (a no-op on cpu and webasm, whose results are arrays). */
export function release(slots: Data[], keep: number): void {
  for (let k = keep; k < slots.length; k++) {
    const d = slots[k];
    if (d !== undefined && !(d instanceof Float32Array) && typeof d.delete === 'function')
      d.delete();
  }
}
