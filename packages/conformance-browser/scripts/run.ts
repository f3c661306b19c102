// Runs the conformance catalogue in headless Chromium from the shell:
//   tsx scripts/run.ts [--backends reference:f64,tfjs:cpu] [--cases 'linear/*,relu'] [--json report.json]
// Prints the terminal report and exits with the conformance exit code (non-zero on a fail or error).
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { exitCode, renderTerminal, reportToJSON } from '@tessera/conformance';
import { browserVariants, parseKinds, runBrowserConformance } from '../src/index.ts';

const usage = `usage: tsx scripts/run.ts [options]
  --backends <labels>       comma-separated, from: ${browserVariants.join(', ')}
  --cases <globs>           comma-separated case id globs (linear/*, relu); all cases by default
  --kinds <kinds>           run, decode or both (default): ordinary cells, decoding cells
  --json <file>             also write the JSON report there
  --timeout <ms>            the whole run (default 900000)
  --cell-timeout <ms>       one cell's compile + run
  --start-timeout <ms>      a variant slower than this to start is unavailable (default 60000)
  --isolated                serve the page cross-origin isolated (threaded wasm)
  --no-webgpu               launch without --enable-unsafe-webgpu (then there is no WebGPU adapter)
  --executable <path>       Chromium (default /usr/bin/chromium)
  --quiet                   no progress lines`;

const { values } = parseArgs({
  options: {
    backends: { type: 'string' },
    cases: { type: 'string' },
    kinds: { type: 'string' },
    json: { type: 'string' },
    timeout: { type: 'string' },
    'cell-timeout': { type: 'string' },
    'start-timeout': { type: 'string' },
    isolated: { type: 'boolean' },
    'no-webgpu': { type: 'boolean' },
    executable: { type: 'string' },
    quiet: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(usage);
  process.exit(0);
}

const report = await runBrowserConformance({
  ...(values.backends !== undefined ? { backends: values.backends.split(',') } : {}),
  ...(values.cases !== undefined ? { cases: values.cases } : {}),
  ...(values.kinds !== undefined ? { kinds: parseKinds(values.kinds) } : {}),
  ...(values.timeout !== undefined ? { timeoutMs: Number(values.timeout) } : {}),
  ...(values['cell-timeout'] !== undefined
    ? { cellTimeoutMs: Number(values['cell-timeout']) }
    : {}),
  ...(values['start-timeout'] !== undefined
    ? { startTimeoutMs: Number(values['start-timeout']) }
    : {}),
  ...(values.executable !== undefined ? { executablePath: values.executable } : {}),
  crossOriginIsolated: values.isolated ?? false,
  webgpu: !values['no-webgpu'],
  onProgress: values.quiet
    ? undefined
    : (done, total, cell) =>
        process.stderr.write(
          `[${done}/${total}] ${cell.caseId} on ${cell.backend}: ${cell.status}\n`,
        ),
});

const b = report.browser;
console.log(
  `Chromium ${b.version}; WebGL2: ${b.webgl2}; WebGPU: ${b.webgpu}; cross-origin isolated: ${b.crossOriginIsolated}`,
);
if (b.missingFiles.length > 0)
  console.log(`files the page asked for that the build lacks: ${b.missingFiles.join(', ')}`);
console.log(renderTerminal(report, { color: process.stdout.isTTY }));
if (values.json !== undefined)
  await writeFile(values.json, `${JSON.stringify(reportToJSON(report), null, 2)}\n`);
process.exitCode = exitCode(report);
