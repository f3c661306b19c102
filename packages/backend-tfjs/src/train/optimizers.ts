// SGD (momentum, Nesterov), Adam and AdamW written out in tf ops, with PyTorch's update rules and
// defaults, and clipping by global norm (torch.nn.utils.clip_grad_norm_) before the update.
// tf.train's optimisers are not used because they have no weight decay and no AdamW.
import * as tf from '@tensorflow/tfjs';

/** The optimisers, as PyTorch's torch.optim.SGD, Adam and AdamW. */
export type OptimizerName = 'sgd' | 'adam' | 'adamw';

/** The optimiser and its hyperparameters, with PyTorch's defaults unless said otherwise. */
export interface OptimizerOptions {
  /** Default 'adam'. */
  optimizer?: OptimizerName;
  /** Default 1e-3. */
  learningRate?: number;
  /** SGD: heavy-ball momentum μ (default 0). */
  momentum?: number;
  /** SGD: Nesterov momentum (default false; needs momentum > 0). */
  nesterov?: boolean;
  /** Adam/AdamW: β1, β2 (default 0.9, 0.999) and ε (default 1e-8). */
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /**
   * 'sgd' and 'adam': L2, coupled: g ← g + λ·p before the update (PyTorch SGD and Adam).
   * 'adamw': decoupled: p ← p·(1 − lr·λ) before the Adam update (PyTorch AdamW; default 0.01).
   * Default 0 for 'sgd' and 'adam'.
   */
  weightDecay?: number;
  /** Scale the gradients by min(1, c / (‖g‖₂ + 1e-6)), ‖g‖₂ over every trained weight together. */
  clipGradNorm?: number;
}

interface Resolved {
  optimizer: OptimizerName;
  learningRate: number;
  momentum: number;
  nesterov: boolean;
  beta1: number;
  beta2: number;
  epsilon: number;
  weightDecay: number;
  clipGradNorm: number | undefined;
}

export function resolveOptimizer(o: OptimizerOptions): Resolved {
  const optimizer = o.optimizer ?? 'adam';
  if (!['sgd', 'adam', 'adamw'].includes(optimizer)) {
    throw new TypeError(
      `unknown optimizer ${JSON.stringify(optimizer)}: expected "sgd", "adam" or "adamw"`,
    );
  }
  const r: Resolved = {
    optimizer,
    learningRate: o.learningRate ?? 1e-3,
    momentum: o.momentum ?? 0,
    nesterov: o.nesterov ?? false,
    beta1: o.beta1 ?? 0.9,
    beta2: o.beta2 ?? 0.999,
    epsilon: o.epsilon ?? 1e-8,
    weightDecay: o.weightDecay ?? (optimizer === 'adamw' ? 0.01 : 0),
    clipGradNorm: o.clipGradNorm,
  };
  const check = (name: string, v: number, ok: boolean, want: string) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || !ok)
      throw new RangeError(`options.${name} must be ${want}, got ${String(v)}`);
  };
  check('learningRate', r.learningRate, r.learningRate > 0, 'a positive number');
  check('momentum', r.momentum, r.momentum >= 0 && r.momentum < 1, 'in [0, 1)');
  check('beta1', r.beta1, r.beta1 >= 0 && r.beta1 < 1, 'in [0, 1)');
  check('beta2', r.beta2, r.beta2 >= 0 && r.beta2 < 1, 'in [0, 1)');
  check('epsilon', r.epsilon, r.epsilon > 0, 'a positive number');
  check('weightDecay', r.weightDecay, r.weightDecay >= 0, 'zero or positive');
  if (r.clipGradNorm !== undefined)
    check('clipGradNorm', r.clipGradNorm, r.clipGradNorm > 0, 'a positive number');
  if (r.nesterov && (optimizer !== 'sgd' || r.momentum === 0))
    throw new RangeError('options.nesterov needs optimizer "sgd" and momentum > 0');
  if (optimizer !== 'sgd' && (o.momentum ?? 0) !== 0)
    throw new RangeError(`options.momentum applies to "sgd", not "${optimizer}" (use beta1)`);
  return r;
}

/** Holds the per-weight state (momentum buffers, Adam moments) between steps. */
export class Optimizer {
  readonly options: Resolved;
  private steps = 0;
  private readonly state = new Map<string, tf.Variable[]>();

  constructor(options: OptimizerOptions = {}) {
    this.options = resolveOptimizer(options);
  }

  /** Updates every `params` entry that has a gradient in `grads`, in place. Leaves `grads` alone. */
  step(params: Map<string, tf.Variable>, grads: Record<string, tf.Tensor>): void {
    const o = this.options;
    this.steps += 1;
    const t = this.steps;
    tf.tidy(() => {
      const names = Object.keys(grads);
      let scale: tf.Scalar | undefined;
      if (o.clipGradNorm !== undefined) {
        // clip_grad_norm_: coef = c / (‖g‖ + 1e-6), applied only when below 1.
        const total = tf.sqrt(tf.addN(names.map((n) => tf.sum(tf.square(grads[n])))));
        scale = tf.minimum(tf.div(o.clipGradNorm, tf.add(total, 1e-6)), 1) as tf.Scalar;
      }
      for (const name of names) {
        const p = params.get(name);
        if (p === undefined)
          throw new Error(`internal: gradient for ${name}, which is not a trained weight`);
        let g = scale === undefined ? grads[name] : tf.mul(grads[name], scale);
        if (o.weightDecay > 0 && o.optimizer !== 'adamw') g = tf.add(g, tf.mul(p, o.weightDecay));
        if (o.optimizer === 'sgd') p.assign(this.sgd(name, p, g, t));
        else p.assign(this.adam(name, p, g, t));
      }
    });
  }

  /** PyTorch SGD (dampening 0): b ← μ·b + g (b = g at the first step); d = g + μ·b (Nesterov) or b; p ← p − lr·d. */
  private sgd(name: string, p: tf.Tensor, g: tf.Tensor, t: number): tf.Tensor {
    const { momentum: mu, learningRate: lr, nesterov } = this.options;
    let d = g;
    if (mu > 0) {
      const [b] = this.slots(name, p, 1);
      b.assign(t === 1 ? g : tf.add(tf.mul(b, mu), g));
      d = nesterov ? tf.add(g, tf.mul(b, mu)) : b;
    }
    return tf.sub(p, tf.mul(d, lr));
  }

  /**
   * Adam: m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g², p ← p − lr·(m / (1−β1^t)) / (√(v / (1−β2^t)) + ε);
   * AdamW first shrinks p ← p·(1 − lr·λ).
   */
  private adam(name: string, p: tf.Tensor, g: tf.Tensor, t: number): tf.Tensor {
    const { beta1, beta2, epsilon, learningRate: lr, weightDecay, optimizer } = this.options;
    const [m, v] = this.slots(name, p, 2);
    m.assign(tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1)));
    v.assign(tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2)));
    const mHat = tf.div(m, 1 - beta1 ** t);
    const vHat = tf.div(v, 1 - beta2 ** t);
    const base = optimizer === 'adamw' && weightDecay > 0 ? tf.mul(p, 1 - lr * weightDecay) : p;
    return tf.sub(base, tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), epsilon)), lr));
  }

  private slots(name: string, p: tf.Tensor, count: number): tf.Variable[] {
    let s = this.state.get(name);
    if (s === undefined) {
      s = Array.from({ length: count }, () => tf.keep(tf.variable(tf.zerosLike(p), false)));
      this.state.set(name, s);
    }
    return s;
  }

  /** Frees the optimiser's state (momentum buffers, Adam moments). */
  dispose(): void {
    for (const slots of this.state.values()) for (const v of slots) v.dispose();
    this.state.clear();
  }
}
