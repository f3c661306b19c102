// `tessera bench`: the side-by-side performance report of every backend variant, against its
// peer and the machine's MatMul limit, as a terminal table, Markdown, JSON and an SVG chart.
import { flag, list, str } from '../args.js';
import { installedVariants } from '../backends.js';
import type { Command } from '../command.js';
import { EXIT_OK, UsageError } from '../errors.js';
import { print, writeFile } from '../io.js';
import { progressBar } from '../progress.js';
import { backendList, caseFilter } from './conformance.js';

export const bench: Command = {
  name: 'bench',
  summary: 'measure every backend against its peer and the machine limit',
  help: `usage: tessera bench [--backends ort:node,tfjs:wasm,...] [--models <glob,...>]
                     [--json out.json] [--markdown out.md] [--svg out.svg] [--scaling] [--quick]
       tessera bench --profile [--backends ...] [--models ...] [--json out.json] [--markdown out.md]

For each preset at a small and a medium size on each backend variant: compile time, first run,
median and p90 latency (warm-up, then at least 1 s or 20 runs), examples/s, achieved GFLOP/s
(exact FLOP counts from the spec), peak RSS growth, the ratio to the backend's peer (hand-built
fused ONNX graph, hand-written tf.layers model) and the fraction of the machine's limit (a large
square MatMul in onnxruntime-node). Figures are ratios measured in the same run.

options:
  --backends LIST   backend variants (default: every node variant but the reference)
  --models GLOBS    model ids, e.g. "transformerLM/medium,lstm/*" (default: all)
  --json FILE       write the JSON report
  --markdown FILE   write the Markdown table
  --svg FILE        write the SVG bar chart of GFLOP/s
  --scaling         also time transformerLM at time 64..512 and batch 1, 8, 32 on the fastest variant
  --quick           small models, 3 runs each: checks the pipeline, not the figures
  --profile         instead of timing, split each forward pass (and the peer's) by op, on the
                    variants whose manifest names a profiler: tfjs's tf.profile (tfjs variants and
                    the tf.layers peers), ONNX Runtime's profiler (ort:node and the hand-built
                    graph), per-kernel timers (gpujs cpu and webasm); 3 passes after a warm-up
                    (1 with --quick)`,
  options: {
    backends: { type: 'string', multiple: true },
    models: { type: 'string', multiple: true },
    json: { type: 'string' },
    markdown: { type: 'string' },
    svg: { type: 'string' },
    scaling: { type: 'boolean' },
    quick: { type: 'boolean' },
    profile: { type: 'boolean' },
  },
  async run(parsed, { io, resolver }) {
    const b = await import('@tessera/bench');
    const quick = flag(parsed, 'quick');
    const keep = caseFilter(list(parsed, 'models'));
    const models = b.benchModels().filter((m) => keep(m.id) && (!quick || m.size === 'small'));
    if (models.length === 0) {
      throw new UsageError(
        `no model matches --models; the models are ${b
          .benchModels()
          .map((m) => m.id)
          .join(', ')}`,
        'bench',
      );
    }
    const backends = await backendList(resolver, list(parsed, 'backends'));
    if (flag(parsed, 'profile')) {
      if (str(parsed, 'svg') !== undefined || flag(parsed, 'scaling'))
        throw new UsageError('--profile writes no chart and no scaling table', 'bench');
      // A variant is profiled where its manifest names a profiler (a per-op timer).
      const profiled = backends.filter((e) => e.variant?.profiler !== undefined);
      if (profiled.length === 0) {
        const timed = (await installedVariants(resolver)).filter((v) => v.variant.profiler);
        throw new UsageError(
          `--profile splits time by op on ${timed.map((v) => v.label).join(', ') || 'no installed variant'} (the variants whose manifest names a profiler); none was chosen`,
          'bench',
        );
      }
      const skipped = backends.filter((e) => e.variant?.profiler === undefined);
      if (skipped.length > 0)
        print(
          io.stderr,
          `not profiled (no per-op timer): ${skipped.map((e) => e.label).join(', ')}`,
        );
      const bar = progressBar(io.stderr, models.length * profiled.length);
      const pairs = [];
      let done = 0;
      for (const entry of profiled) {
        let backend: Awaited<ReturnType<typeof entry.create>>;
        try {
          backend = await entry.create();
        } catch (e) {
          // A variant that cannot start here is named with its reason, as the bench table does.
          print(io.stderr, `${entry.label} unavailable: ${(e as Error).message}`);
          done += models.length;
          continue;
        }
        for (const model of models) {
          bar.update(done, `${model.id} ${entry.label}`);
          pairs.push(await b.profileModel(model, entry, backend, quick ? 1 : 3));
          bar.update(++done, `${model.id} ${entry.label}`);
        }
      }
      bar.finish('done');
      print(io.stdout, b.renderProfileTerminal(pairs));
      const json = str(parsed, 'json');
      if (json) writeFile(io, json, `${JSON.stringify(pairs, null, 2)}\n`);
      const md = str(parsed, 'markdown');
      if (md) writeFile(io, md, b.renderProfileMarkdown(pairs));
      return EXIT_OK;
    }
    const bar = progressBar(io.stderr, models.length * backends.length + 1);
    const report = await b.runBench({
      models,
      backends,
      peers: b.defaultPeers,
      limit: () => b.matmulProbe(quick ? 256 : 1024),
      minTimeMs: quick ? 0 : 1000,
      minRuns: quick ? 3 : 20,
      onProgress: (done, _total, what) => bar.update(done, what),
    });
    if (flag(parsed, 'scaling')) {
      const fastest = report.rows
        .filter((r) => r.model.startsWith('transformerLM/') && r.timing)
        .sort((p, q) => p.timing!.medianMs - q.timing!.medianMs)[0];
      const entry = backends.find((e) => e.label === fastest?.backend);
      if (entry) {
        const medium = models.find((m) => m.preset === 'transformerLM') ?? b.benchModels()[1];
        report.scaling = await b.runScaling(
          entry,
          (time, batch) => b.scalingModel(medium, time, batch),
          quick ? [16, 32] : [64, 128, 256, 512],
          quick ? [1, 2] : [1, 8, 32],
          {
            minRuns: quick ? 2 : 5,
            minTimeMs: quick ? 0 : 500,
            onProgress: (what) => bar.update(models.length * backends.length + 1, what),
          },
        );
      }
    }
    bar.finish('done');
    print(io.stdout, b.renderBenchTerminal(report));
    const json = str(parsed, 'json');
    if (json) writeFile(io, json, `${JSON.stringify(b.benchToJSON(report), null, 2)}\n`);
    const md = str(parsed, 'markdown');
    if (md) writeFile(io, md, b.renderBenchMarkdown(report));
    const svg = str(parsed, 'svg');
    if (svg) writeFile(io, svg, b.renderBenchSvg(report));
    return EXIT_OK;
  },
};
