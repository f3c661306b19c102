// A plan: the kernel runs of one model at one set of bound shapes, recorded once by the op
// kernels and replayed on every run. Kernels are built once per source and argument sizes and
// shared by every plan of a compiled model.
import { type LoweredNode, UnsupportedOpError, weightName } from '@tessera/spec';
import type { GPU, IGPUKernelSettings, IKernelRunShortcut } from 'gpu.js';
import { kernelFunction, MAX_ARRAY_ARGS, MINUS_HUGE_VALUE } from './kernels/source.js';
import type { Arg, KernelContext, Value } from './kernels/types.js';

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
}

type PlanArg = { slot: number } | Float32Array | number;

interface Step {
  kernel: IKernelRunShortcut;
  args: PlanArg[];
  out: number;
  /** The spec node the kernel computes (part of), for profiles. */
  node: { id: string; op: string };
  size: number;
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
  ): IKernelRunShortcut {
    // Kernels are written to stay within this; one that does not is a bug here, not a bad spec.
    const arrays = args.filter((a) => typeof a !== 'number').length;
    if (arrays > MAX_ARRAY_ARGS)
      throw new Error(
        `internal: a ${where.op} kernel takes ${arrays} arrays, over the ${MAX_ARRAY_ARGS} a kernel may bind`,
      );
    const sizes = args.map((a) =>
      typeof a === 'number' ? 'n' : a instanceof Float32Array ? a.length : numel(a.shape),
    );
    for (const n of [size, ...sizes]) {
      if (typeof n === 'number' && n > this.limits.maxElements) {
        throw new UnsupportedOpError(
          where.op,
          `a tensor of ${n} elements is over this variant's limit of ${this.limits.maxElements} (kernel indices are float32)`,
          where.id,
        );
      }
    }
    // Every generated loop has a literal bound (gpu.js needs constant bounds on GL); the longest
    // must fit the variant.
    const loops = body.match(/for \(/g)?.length ?? 0;
    const bounded = [
      ...body.matchAll(/for \(let \w+ = 0; \w+ < ([0-9]+); \w+(?:\+\+| \+= ([0-9]+))\) \{/g),
    ];
    if (bounded.length !== loops)
      throw new Error(`internal: a ${where.op} kernel has a loop without a literal bound`);
    for (const m of bounded) {
      const iterations = Math.ceil(Number(m[1]) / Number(m[2] ?? 1));
      if (iterations > this.limits.maxLoop) {
        throw new UnsupportedOpError(
          where.op,
          `a loop of ${iterations} iterations is over this variant's limit of ${this.limits.maxLoop}`,
          where.id,
        );
      }
    }
    const key = `${size}|${sizes.join(',')}|${body}`;
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
      } as IGPUKernelSettings);
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

function numel(shape: readonly number[]): number {
  return shape.reduce((p, d) => p * d, 1);
}

/** Records a plan; `firstSlot` slots are reserved for the model inputs. */
export class PlanBuilder {
  readonly steps: Step[] = [];
  private next: number;

  constructor(
    private readonly cache: KernelCache,
    firstSlot: number,
  ) {
    this.next = firstSlot;
  }

  context(
    node: Pick<LoweredNode, 'op' | 'id' | 'weights'> & { weightPrefix?: string },
    weights: Map<string, Float32Array>,
  ): KernelContext {
    const name = (param: string) => weightName(node, param);
    return {
      minusInfinity: this.cache.limits.infinities === true ? -Infinity : MINUS_HUGE_VALUE,
      hasWeight: (w) => weights.has(name(w)),
      weight: (w) => {
        const data = weights.get(name(w));
        if (data === undefined)
          throw new Error(`weight ${name(w)} is missing (checkWeights should have caught it)`);
        return data;
      },
      run: (shape: number[], args: Arg[], body: string): Value => {
        const kernel = this.cache.get(body, Math.max(1, numel(shape)), args, node);
        const out = this.next++;
        this.steps.push({
          node: { id: node.id, op: node.op },
          size: Math.max(1, numel(shape)),
          kernel,
          args: args.map((a) =>
            typeof a === 'number' || a instanceof Float32Array ? a : { slot: a.slot },
          ),
          out,
        });
        return { shape, slot: out };
      },
    };
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
  inputs: Float32Array[],
  onKernelRun?: (run: KernelRun) => void,
): Promise<Data[]> {
  const slots: Data[] = new Array(plan.slots);
  inputs.forEach((x, k) => {
    slots[k] = x;
  });
  for (const step of plan.steps) {
    const args = step.args.map((a) =>
      typeof a === 'number' || a instanceof Float32Array ? a : slots[a.slot],
    );
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
