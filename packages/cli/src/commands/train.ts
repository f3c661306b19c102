import type { ModelSpec, Tensor, Weights } from '@tessera/spec';
import { writeSafetensors } from '@tessera/spec';
import { int, list, positionals, positiveNumber, required, str } from '../args.js';
import type { Command } from '../command.js';
import { parseDataset } from '../data.js';
import { CliError, EXIT_OK, from, UsageError } from '../errors.js';
import { num } from '../format.js';
import { print, readFile, readSpec, readWeights, writeFile } from '../io.js';
import { progressBar } from '../progress.js';

const losses = ['crossEntropy', 'mse', 'ctc'] as const;
const optimizers = ['sgd', 'adam', 'adamw'] as const;

interface TrainProgress {
  step: number;
  epoch: number;
  loss: number;
  examplesPerSecond: number;
}

/** The part of @tessera/backend-tfjs/train's API this command uses. */
type Train = (
  spec: ModelSpec,
  weights: Weights,
  data: { inputs: Record<string, Tensor>; targets: Tensor },
  options: Record<string, unknown> & { onProgress?: (p: TrainProgress) => void },
) => Promise<{ weights: Weights; history: { epoch?: number; loss: number }[] | unknown }>;

function oneOf<T extends string>(
  parsed: Parameters<typeof str>[0],
  name: string,
  allowed: readonly T[],
  fallback?: T,
): T {
  const v = str(parsed, name) ?? fallback;
  if (v === undefined)
    throw new UsageError(`--${name} is required (${allowed.join(', ')})`, 'train');
  if (!(allowed as readonly string[]).includes(v))
    throw new UsageError(
      `--${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(v)}`,
      'train',
    );
  return v as T;
}

/** `tessera train`: trains a model on JSON Lines data with TensorFlow.js. */
export const train: Command = {
  name: 'train',
  summary: 'train a model on JSON Lines data with TensorFlow.js',
  help: `usage: tessera train <spec.json> --weights w.safetensors --data data.jsonl
                     --loss crossEntropy|mse|ctc [--optimizer sgd|adam] [--epochs N]
                     [--lr X] [--batch-size N] [--seed N] [--freeze a,b] -o trained.safetensors

Trains with @tessera/backend-tfjs/train and writes the new weights. A progress bar on stderr shows
the loss and examples per second.

data.jsonl holds one example per line:
  {"inputs": {"<input name>": <nested arrays>}, "target": <number | nested arrays>}
Each input is one example: the spec's input shape without its first (batch) dim, in the spec's
dtype. The target is a class id (or an array of ids, e.g. per time step) for crossEntropy and
ctc (CTC label sequences may differ in length; they are padded with -1), and numbers of the
output's shape without the batch dim for mse.

options:
  --weights FILE      starting weights (safetensors, a shard index or a Hugging Face folder)
  --data FILE         the examples (JSON Lines)
  --loss NAME         crossEntropy, mse or ctc
  --optimizer NAME    sgd, adam or adamw (default adam)
  --epochs N          passes over the data (default 1)
  --lr X              learning rate (default 0.001)
  --batch-size N      examples per step (default 32)
  --seed N            shuffling seed (default 0)
  --freeze IDS        node ids whose weights stay fixed, comma-separated
  --variant NAME      the TensorFlow.js backend variant: cpu (default) or wasm
  -o, --output FILE   where to write the trained weights`,
  options: {
    weights: { type: 'string' },
    data: { type: 'string' },
    loss: { type: 'string' },
    optimizer: { type: 'string' },
    epochs: { type: 'string' },
    lr: { type: 'string' },
    'batch-size': { type: 'string' },
    seed: { type: 'string' },
    freeze: { type: 'string', multiple: true },
    variant: { type: 'string' },
    output: { type: 'string', short: 'o' },
  },
  async run(parsed, { io, resolver }) {
    const [file] = positionals('train', parsed, ['spec.json']);
    const weightsFile = required('train', parsed, 'weights', '<weights.safetensors>');
    const dataFile = required('train', parsed, 'data', '<data.jsonl>');
    const out = required('train', parsed, 'output', '<trained.safetensors>');
    const loss = oneOf(parsed, 'loss', losses);
    const optimizer = oneOf(parsed, 'optimizer', optimizers, 'adam');
    const epochs = int('train', parsed, 'epochs', { min: 1, max: 1_000_000 }) ?? 1;
    const learningRate = positiveNumber('train', parsed, 'lr') ?? 1e-3;
    const batchSize = int('train', parsed, 'batch-size', { min: 1, max: 1_000_000 }) ?? 32;
    const seed = int('train', parsed, 'seed', { min: 0, max: 2 ** 32 - 1 }) ?? 0;
    const freeze = list(parsed, 'freeze');
    const variant = str(parsed, 'variant') ?? 'cpu';

    const spec = await readSpec(io, file);
    const unknown = freeze.filter((id) => !spec.nodes.some((n) => n.id === id));
    if (unknown.length > 0)
      throw new UsageError(
        `--freeze names no node ${unknown.map((u) => JSON.stringify(u)).join(', ')}; nodes: ${spec.nodes.map((n) => n.id).join(', ')}`,
        'train',
      );
    const weights = await readWeights(io, spec, weightsFile);
    const text = readFile(io, dataFile).toString('utf8');
    const data = parseDataset(
      text,
      spec,
      { targetDtype: loss === 'mse' ? 'float32' : 'int32', padTargets: loss === 'ctc' },
      dataFile,
    );

    // Training is tfjs's `train` entry; the variant is chosen with its main entry's ensureTfBackend.
    const tfjs = await resolver.load('tfjs');
    const trainFn = (await resolver.loadEntry('tfjs', 'train')).train;
    if (typeof trainFn !== 'function')
      throw new CliError('@tessera/backend-tfjs/train does not export train');
    // Training runs on tfjs's one global backend, which must be chosen before the first op.
    if (typeof tfjs.ensureTfBackend === 'function') {
      await from(`tfjs:${variant}`, () =>
        (tfjs.ensureTfBackend as (v: string) => Promise<void>)(variant),
      );
    }
    const stepsPerEpoch = Math.ceil(data.size / batchSize);
    const bar = progressBar(io.stderr, epochs * stepsPerEpoch);
    let last: TrainProgress | undefined;
    const detail = (p: TrainProgress) =>
      `epoch ${p.epoch}/${epochs} loss ${num(p.loss)} ${num(Math.round(p.examplesPerSecond))} ex/s`;
    const result = await from(`training ${file}`, () =>
      (trainFn as Train)(
        spec,
        weights,
        { inputs: data.inputs, targets: data.targets },
        {
          loss,
          optimizer,
          learningRate,
          epochs,
          batchSize,
          seed,
          freeze,
          onProgress(p: TrainProgress) {
            last = p;
            bar.update(p.step, detail(p));
          },
        },
      ),
    );
    if (last !== undefined) bar.finish(detail(last));
    writeFile(
      io,
      out,
      writeSafetensors(result.weights, { format: 'pt', 'tessera.spec': JSON.stringify(spec) }),
    );
    print(
      io.stdout,
      `trained ${spec.name} on ${data.size} examples for ${epochs} epoch${epochs === 1 ? '' : 's'}${last === undefined ? '' : `, final loss ${num(last.loss)}`}; wrote ${out}`,
    );
    return EXIT_OK;
  },
};
