// The conformance page: reads `?backends=`, `?cases=` and `?kinds=`, runs the catalogue (its
// ordinary and decoding cells) on the browser variants, and leaves its state and the report on
// window.__tessera for the node side to collect.
import {
  type BackendEntry,
  catalogue,
  matrixRows,
  renderTerminal,
  runConformance,
} from '@tessera/conformance';
import { type PageState, type ProgressCallback, progressBinding } from '../src/protocol.ts';
import { caseMatcher, parseKinds } from '../src/select.ts';
import { defaultBrowserBackends, parseBackendList } from '../src/variants.ts';
import { factory } from './backends.ts';
import { probeEnvironment } from './environment.ts';

declare global {
  interface Window {
    __tessera: PageState;
    [progressBinding]?: ProgressCallback;
  }
}

const state: PageState = { state: 'loading', backends: [], caseIds: [], done: 0, total: 0 };
window.__tessera = state;

const statusLine = document.getElementById('status') as HTMLElement;
const out = document.getElementById('out') as HTMLElement;

/**
 * A backend that never finishes starting would hold up the whole run (tfjs-backend-wasm's threaded
 * build does, once the page is cross-origin isolated): after this long it is unavailable instead.
 */
const defaultStartTimeoutMs = 60_000;

function startWithin<T>(create: () => Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not start within ${ms} ms`)), ms);
  });
  return Promise.race([create(), late]).finally(() => clearTimeout(timer));
}

async function main(): Promise<void> {
  const query = new URLSearchParams(location.search);
  const backends = query.has('backends')
    ? parseBackendList(query.get('backends') ?? '')
    : [...defaultBrowserBackends];
  if (backends.length === 0) throw new Error('?backends= names no backend');
  const matches = caseMatcher(query.get('cases') ?? undefined);
  const cases = catalogue.filter((c) => matches(c.id));
  if (cases.length === 0)
    throw new Error(`?cases=${query.get('cases')} matches no case of the catalogue`);
  const kinds = parseKinds(query.get('kinds') ?? undefined);
  const cellTimeoutMs = query.has('cellTimeoutMs') ? Number(query.get('cellTimeoutMs')) : undefined;
  const startTimeoutMs = Number(query.get('startTimeoutMs') ?? defaultStartTimeoutMs);

  const rows = matrixRows(cases, kinds);
  state.backends = backends;
  state.caseIds = rows.map((r) => r.id);
  state.total = rows.length * backends.length;
  state.environment = await probeEnvironment();
  state.state = 'running';
  statusLine.textContent = `running ${rows.length} rows (${cases.length} cases) on ${backends.join(', ')}`;

  const entries: BackendEntry[] = backends.map((label) => ({
    label,
    create: () => startWithin(factory(label), startTimeoutMs),
  }));
  const report = await runConformance({
    cases,
    backends: entries,
    kinds,
    ...(cellTimeoutMs !== undefined ? { cellTimeoutMs } : {}),
    onProgress: (done, total, cell) => {
      state.done = done;
      statusLine.textContent = `${done}/${total}: ${cell.caseId} on ${cell.backend}: ${cell.status}`;
      window[progressBinding]?.(done, total, cell);
    },
  });
  state.report = report;
  out.textContent = renderTerminal(report);
  statusLine.textContent = 'done';
  state.state = 'done';
}

main().catch((e: unknown) => {
  state.error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  state.state = 'failed';
  statusLine.textContent = `failed: ${state.error}`;
  console.error(e);
});
