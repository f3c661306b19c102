// The playground: edit a spec (or start from a preset), see its graph, run it on any backend this
// browser can start, compare backends against the float64 reference, run the whole conformance
// catalogue on this device, look at attention, generate text, and load or download weights.
// The page's state is one reducer (src/lib/store.ts); this component wires it to the panels and
// to the jobs, and derives what a run is made of (src/lib/model.ts).
import { catalogue } from '@tessera/conformance';
import { writeSafetensors } from '@tessera/spec';
import { useEffect, useMemo, useReducer } from 'react';
import { ComparePanel } from './components/ComparePanel';
import { ConformancePanel } from './components/ConformancePanel';
import { Controls } from './components/Controls';
import { Editor } from './components/Editor';
import { GeneratePanel } from './components/GeneratePanel';
import { GraphView } from './components/GraphView';
import { NodeDetails } from './components/NodeDetails';
import { PresetForm } from './components/PresetForm';
import { ProblemsList } from './components/ProblemsList';
import { RunPanel } from './components/RunPanel';
import { TokenizerLoader } from './components/TokenizerLoader';
import { WeightsPanel } from './components/WeightsPanel';
import { backendOptions, isAvailable, probe } from './lib/backends';
import { rangeOfPath } from './lib/diagnostics';
import { download } from './lib/download';
import { decodeHash, encodeHash } from './lib/hash';
import { compareAll, runForward } from './lib/jobs';
import { layoutGraph } from './lib/layout';
import {
  bindingsOf,
  errorText,
  inputsOf,
  numEmbeddingsOf,
  runBlocker,
  tokenizerOf,
  weightSourceText,
  weightsOf,
} from './lib/model';
import { initialState, reducer, tabs } from './lib/store';
import { useConformanceRun } from './lib/use-conformance';
import { useGeneration } from './lib/use-generation';

const labels = backendOptions.map((o) => o.label);
const caseCount = catalogue.length;

export function App() {
  const [s, dispatch] = useReducer(reducer, undefined, () =>
    initialState(decodeHash(window.location.hash)),
  );
  const { good, checked } = s;

  // What a run is made of, each part recomputed only when what it reads changes.
  const bindings = useMemo(() => bindingsOf(good, s.bindingText), [good, s.bindingText]);
  const layout = useMemo(() => layoutGraph(good, bindings), [good, bindings]);
  const { weights, source } = useMemo(
    () => weightsOf(good, s.seed, s.loaded),
    [good, s.seed, s.loaded],
  );
  const tokenizer = useMemo(() => tokenizerOf(good, s.tokenizer), [good, s.tokenizer]);
  const inputs = useMemo(
    () => inputsOf(good, bindings, s.seed, tokenizer, s.prompt),
    [good, bindings, s.seed, tokenizer, s.prompt],
  );
  const blocker = runBlocker(checked, inputs, s.availability, s.backend);
  const compareBlocker = checked.spec === null || 'problem' in inputs ? blocker : undefined;

  useEffect(() => {
    let live = true;
    Promise.all(backendOptions.map(probe)).then(
      (list) => live && dispatch({ type: 'availability', list }),
    );
    return () => {
      live = false;
    };
  }, []);

  // The link reproduces the page: spec, preset with its fields, backend.
  useEffect(() => {
    const t = setTimeout(
      () =>
        window.history.replaceState(
          null,
          '',
          encodeHash(s.text, s.backend, { preset: s.preset, params: s.fields }),
        ),
      300,
    );
    return () => clearTimeout(t);
  }, [s.text, s.backend, s.preset, s.fields]);

  // Generated text from another model, backend or prompt is cleared, not left beside new results.
  const generation = useGeneration();
  const { clear } = generation;
  // biome-ignore lint/correctness/useExhaustiveDependencies: each of these makes the text stale
  useEffect(() => clear(), [good, weights, s.backend, s.prompt, tokenizer, clear]);

  const conformance = useConformanceRun();

  function onDownload(what: 'spec' | 'weights' | 'onnx') {
    try {
      if (what === 'spec')
        download(`${good.name}.json`, JSON.stringify(good, null, 2), 'application/json');
      else if (what === 'weights')
        download(
          `${good.name}.safetensors`,
          writeSafetensors(weights, { spec: JSON.stringify(good) }) as BlobPart,
          'application/octet-stream',
        );
      else
        import('@tessera/backend-ort').then(
          ({ toOnnx }) =>
            download(
              `${good.name}.onnx`,
              toOnnx(good, weights) as BlobPart,
              'application/octet-stream',
            ),
          (e: unknown) => dispatch({ type: 'notice', message: errorText(e) }),
        );
    } catch (e) {
      dispatch({ type: 'notice', message: errorText(e) });
    }
  }

  const ready = 'problem' in inputs ? undefined : inputs;
  const job = { availability: s.availability, spec: good, weights, version: s.version };
  const lmPanel = tokenizer && (
    <GeneratePanel
      spec={good}
      weights={weights}
      backend={s.backend}
      tokenizer={tokenizer}
      tokenizerConfig={s.tokenizer?.config}
      prompt={s.prompt}
      onPrompt={(prompt) => dispatch({ type: 'prompt', prompt })}
      seed={s.seed}
      generation={generation}
    />
  );

  return (
    <div className="app">
      <header>
        <h1>Tessera playground</h1>
        <span className="tagline">write a model once, run it on every backend, see them agree</span>
      </header>
      <section className="left">
        <PresetForm
          preset={s.preset}
          fields={s.fields}
          problems={s.fieldProblems}
          dispatch={dispatch}
        />
        <Editor
          text={s.text}
          onChange={(text) => dispatch({ type: 'edit', text })}
          focus={s.focus}
        />
        <ProblemsList
          diagnostics={checked.diagnostics}
          onPick={(d) => dispatch({ type: 'focus', from: d.from, to: d.to })}
        />
      </section>
      <section className="right">
        <Controls
          backend={s.backend}
          seed={s.seed}
          bindingText={s.bindingText}
          availability={s.availability}
          dispatch={dispatch}
        />
        <nav className="tabs">
          {tabs.map((t) => (
            <button
              type="button"
              key={t}
              className={s.tab === t ? 'active' : ''}
              onClick={() => dispatch({ type: 'tab', tab: t })}
              data-testid={`tab-${t}`}
            >
              {t}
            </button>
          ))}
        </nav>
        {s.notice && (
          <pre className="error" data-testid="notice">
            {s.notice}
          </pre>
        )}
        {s.tab === 'run' && (
          <RunPanel
            run={s.run}
            blocker={blocker}
            tokenizer={tokenizer}
            weightsLine={weightSourceText(source)}
            onRun={() => ready && runForward({ ...job, label: s.backend, inputs: ready }, dispatch)}
            generate={lmPanel}
          />
        )}
        {s.tab === 'compare' && (
          <ComparePanel
            compare={s.compare}
            blocker={compareBlocker}
            onCompare={() => ready && compareAll({ ...job, inputs: ready }, dispatch)}
          />
        )}
        {s.tab === 'conformance' && (
          <ConformancePanel
            run={conformance}
            labels={labels}
            unavailable={s.availability.flatMap((a) =>
              isAvailable(a) ? [] : [{ label: a.label, reason: a.reason }],
            )}
            caseCount={caseCount}
            onDownload={(name, data) => download(name, data, 'application/json')}
          />
        )}
        {s.tab === 'weights' && (
          <WeightsPanel
            spec={good}
            source={source}
            loadError={s.weightsError}
            dispatch={dispatch}
            onDownload={onDownload}
            tokenizer={
              tokenizer && (
                <TokenizerLoader
                  loaded={s.tokenizer}
                  vocabLimit={numEmbeddingsOf(good)}
                  onChange={(t) => dispatch({ type: 'tokenizer', tokenizer: t })}
                />
              )
            }
          />
        )}
        <div className="graph-area">
          <GraphView
            layout={layout}
            stale={checked.spec === null}
            selected={s.selected}
            onSelect={(id) => dispatch({ type: 'select', id })}
          />
          {s.selected !== null && (
            <NodeDetails
              spec={good}
              bindings={bindings}
              id={s.selected}
              onShow={
                checked.spec === null
                  ? undefined
                  : (path) => {
                      const r = rangeOfPath(s.text, path);
                      if (r) dispatch({ type: 'focus', ...r });
                    }
              }
              onClose={() => dispatch({ type: 'select', id: null })}
            />
          )}
        </div>
      </section>
    </div>
  );
}
