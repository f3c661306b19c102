// The playground: edit a spec (or start from a preset), see its graph, run it on any backend this
// browser can start, compare backends against the float64 reference, run the whole conformance
// catalogue on this device, look at attention, generate text, and load or download weights.
import { createBackend as createReference, type ReferenceModel } from '@tessera/backend-reference';
import {
  type ConformanceReport,
  catalogue,
  compareTensors,
  defaultTolerance,
  renderTerminal,
  reportToJSON,
  runConformance,
} from '@tessera/conformance';
import type { Tokenizer } from '@tessera/lm';
import {
  buildPreset,
  checkInputs,
  checkWeights,
  defaultBindings,
  initWeights,
  type ModelSpec,
  type PresetName,
  presetParameters,
  randomInputs,
  type Tensor,
  WeightError,
  type Weights,
  writeSafetensors,
} from '@tessera/spec';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Editor } from './components/Editor';
import { GeneratePanel } from './components/GeneratePanel';
import { GraphView } from './components/GraphView';
import { Heatmap } from './components/Heatmap';
import { type LoadedTokenizer, TokenizerLoader } from './components/TokenizerLoader';
import { type Availability, backendOptions, probe } from './lib/backends';
import { checkSpecText } from './lib/diagnostics';
import { decodeHash, encodeHash } from './lib/hash';
import { layoutGraph } from './lib/layout';
import { preview, type Timed, timedRun, topK } from './lib/run';
import { playgroundTokenizer } from './lib/tokens';
import { useGeneration } from './lib/use-generation';
import { readWeightFiles } from './lib/weight-files';

const presetNames = Object.keys(presetParameters) as PresetName[];

function presetText(name: PresetName, params: Record<string, unknown>): string {
  return JSON.stringify(buildPreset(name, params), null, 2);
}

function download(name: string, data: BlobPart, type: string) {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function errorText(e: unknown): string {
  if (e instanceof WeightError) return e.issues.map((i) => `${i.name}: ${i.message}`).join('\n');
  return e instanceof Error ? e.message : String(e);
}

/** The token input of a language model (its one int32 [batch, time] input, `tokens` or
 *  Hugging Face's `input_ids`) when the spec has a `logits` output; undefined otherwise. */
function tokenInputOf(spec: ModelSpec): string | undefined {
  if (!('logits' in spec.outputs)) return undefined;
  const ids = Object.entries(spec.inputs).filter(
    ([, i]) => i.dtype === 'int32' && i.shape.length === 2,
  );
  return ids.length === 1 && Object.keys(spec.inputs).length === 1 ? ids[0][0] : undefined;
}

type Tab = 'run' | 'compare' | 'conformance' | 'weights';

export function App() {
  const initial = useMemo(() => decodeHash(window.location.hash), []);
  const [preset, setPreset] = useState<PresetName>('transformerLM');
  const [params, setParams] = useState<Record<string, unknown>>({
    ...presetParameters.transformerLM,
  });
  const [text, setText] = useState(
    initial.specText ?? presetText('transformerLM', presetParameters.transformerLM),
  );
  const checked = useMemo(() => checkSpecText(text), [text]);
  const [good, setGood] = useState<ModelSpec>(() => checked.spec ?? buildPreset('transformerLM'));
  useEffect(() => {
    if (checked.spec) setGood(checked.spec);
  }, [checked]);
  useEffect(() => {
    const t = setTimeout(() => window.history.replaceState(null, '', encodeHash(text)), 300);
    return () => clearTimeout(t);
  }, [text]);

  const [seed, setSeed] = useState(0);
  const [bindingText, setBindingText] = useState('batch=1,time=8,frames=16');
  const bindings = useMemo(() => {
    const out: Record<string, number> = {};
    for (const part of bindingText.split(',')) {
      const [k, v] = part.split('=').map((s) => s.trim());
      if (k && Number.isInteger(Number(v)) && Number(v) > 0) out[k] = Number(v);
    }
    return defaultBindings(good, out, 2);
  }, [bindingText, good]);
  const layout = useMemo(() => layoutGraph(good, bindings), [good, bindings]);
  const [loaded, setLoaded] = useState<{ weights: Weights; name: string } | null>(null);
  const weights = useMemo(() => {
    if (loaded) {
      try {
        checkWeights(good, loaded.weights);
        return loaded.weights;
      } catch {
        // Loaded weights that no longer fit the spec fall back to seeded ones (the Weights tab says why).
      }
    }
    return initWeights(good, seed);
  }, [good, seed, loaded]);

  const tokenInput = tokenInputOf(good);
  const lm = tokenInput !== undefined;
  const numEmbeddings = (
    good.nodes.find((n) => n.op === 'embedding') as { numEmbeddings: number } | undefined
  )?.numEmbeddings;
  const [loadedTokenizer, setLoadedTokenizer] = useState<LoadedTokenizer | null>(null);
  const tokenizer = useMemo(
    (): Tokenizer | null =>
      lm ? (loadedTokenizer?.tokenizer ?? playgroundTokenizer(numEmbeddings ?? 64)) : null,
    [lm, numEmbeddings, loadedTokenizer],
  );
  const [prompt, setPrompt] = useState('the cat ');
  const inputs = useMemo((): Record<string, Tensor> | string => {
    try {
      if (lm && tokenizer) {
        const ids = tokenizer.encode(prompt || ' ');
        return { [tokenInput!]: { dtype: 'int32', shape: [1, ids.length], data: ids } };
      }
      return randomInputs(good, bindings, seed);
    } catch (e) {
      return errorText(e);
    }
  }, [good, bindings, seed, lm, tokenInput, tokenizer, prompt]);

  const [availability, setAvailability] = useState<Availability[]>([]);
  useEffect(() => {
    let live = true;
    Promise.all(backendOptions.map(probe)).then((a) => live && setAvailability(a));
    return () => {
      live = false;
    };
  }, []);
  const available = availability.filter(
    (a): a is Extract<Availability, { backend: unknown }> => 'backend' in a,
  );
  // The menu's first variant (the reference's) until one is chosen.
  const [backendLabel, setBackendLabel] = useState(initial.backend ?? backendOptions[0].label);
  const [tab, setTab] = useState<Tab>('run');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Timed | null>(null);
  const [runError, setRunError] = useState<string | null>(null);
  const [heat, setHeat] = useState<{ label: string; probs: number[][] }[]>([]);
  const generation = useGeneration();
  const [compare, setCompare] = useState<
    {
      label: string;
      status: string;
      maxAbs?: number;
      maxRel?: number;
      ms?: number;
      detail?: string;
    }[]
  >([]);
  const [report, setReport] = useState<ConformanceReport | null>(null);
  const [progress, setProgress] = useState('');
  const cancelled = useRef(false);

  async function run() {
    setBusy(true);
    setRunError(null);
    setResult(null);
    try {
      if (typeof inputs === 'string') throw new Error(inputs);
      const a = available.find((x) => x.label === backendLabel);
      if (!a) throw new Error(`${backendLabel} is not available in this browser`);
      const r = await timedRun(a.backend, good, weights, inputs);
      setResult(r);
      await attention(inputs);
    } catch (e) {
      setRunError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  async function attention(ins: Record<string, Tensor>) {
    const maps: { label: string; probs: number[][] }[] = [];
    if (
      !good.nodes.some((n) => n.op === 'multiHeadAttention' || n.op === 'transformerEncoderLayer')
    )
      return setHeat([]);
    const ref = (await (await createReference()).compile(good, weights)) as ReferenceModel;
    await ref.runFloat64(ins, {
      observeAttention: (node, probs) => {
        const [, heads, tq, tk] = probs.shape;
        for (let h = 0; h < heads; h++) {
          const rows: number[][] = [];
          for (let q = 0; q < tq; q++)
            rows.push(Array.from(probs.data.subarray((h * tq + q) * tk, (h * tq + q + 1) * tk)));
          maps.push({ label: `${node} head ${h}`, probs: rows });
        }
      },
    });
    await ref.dispose();
    setHeat(maps.slice(0, 16));
  }

  async function runCompare() {
    setBusy(true);
    setCompare([]);
    try {
      if (typeof inputs === 'string') throw new Error(inputs);
      checkInputs(good, inputs);
      const ref = (await (await createReference()).compile(good, weights)) as ReferenceModel;
      const want = await ref.runFloat64(inputs);
      await ref.dispose();
      const rows: typeof compare = [];
      for (const a of availability) {
        if (!('backend' in a)) {
          rows.push({ label: a.label, status: 'unavailable', detail: a.reason });
          continue;
        }
        const unsupported = good.nodes.map((n) => a.backend.supports(n.op)).find((s) => s !== true);
        if (typeof unsupported === 'string') {
          rows.push({ label: a.label, status: 'unsupported', detail: unsupported });
          continue;
        }
        try {
          const r = await timedRun(a.backend, good, weights, inputs, 3);
          let ok = true;
          let maxAbs = 0;
          let maxRel = 0;
          for (const [name, w] of Object.entries(want)) {
            const c = compareTensors(r.outputs[name], w, defaultTolerance);
            ok &&= c.ok;
            maxAbs = Math.max(maxAbs, c.maxAbsError);
            maxRel = Math.max(maxRel, c.maxRelError);
          }
          rows.push({
            label: a.label,
            status: ok ? 'pass' : 'fail',
            maxAbs,
            maxRel,
            ms: r.medianMs,
          });
        } catch (e) {
          rows.push({ label: a.label, status: 'error', detail: errorText(e) });
        }
        setCompare([...rows]);
      }
      setCompare(rows);
    } catch (e) {
      setRunError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  async function runCatalogue() {
    setBusy(true);
    setReport(null);
    cancelled.current = false;
    try {
      const backends = available.map((a) => ({ label: a.label, create: async () => a.backend }));
      const r = await runConformance({
        cases: catalogue,
        backends,
        onProgress: (done, total) => setProgress(`${done} / ${total} cells`),
      });
      setReport(r);
    } catch (e) {
      setRunError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  async function loadWeights(files: readonly File[]) {
    try {
      const picked = await readWeightFiles(files);
      checkWeights(good, picked.weights);
      setLoaded(picked);
      setRunError(null);
    } catch (e) {
      setLoaded(null);
      setRunError(errorText(e));
    }
  }

  async function downloadOnnx() {
    try {
      const { toOnnx } = await import('@tessera/backend-ort');
      download(`${good.name}.onnx`, toOnnx(good, weights) as BlobPart, 'application/octet-stream');
    } catch (e) {
      setRunError(errorText(e));
    }
  }

  const loadedProblem = useMemo(() => {
    if (!loaded) return null;
    try {
      checkWeights(good, loaded.weights);
      return null;
    } catch (e) {
      return errorText(e);
    }
  }, [good, loaded]);

  return (
    <div className="app">
      <header>
        <h1>Tessera playground</h1>
        <span className="tagline">write a model once, run it on every backend, see them agree</span>
      </header>
      <section className="left">
        <div className="presets">
          <label>
            preset{' '}
            <select
              value={preset}
              data-testid="preset"
              onChange={(e) => {
                const name = e.target.value as PresetName;
                setPreset(name);
                setParams({ ...presetParameters[name] });
                setText(presetText(name, presetParameters[name]));
                setLoaded(null);
              }}
            >
              {presetNames.map((n) => (
                <option key={n}>{n}</option>
              ))}
            </select>
          </label>
          {Object.entries(presetParameters[preset]).map(([k, v]) => (
            <label key={k} className="param">
              {k}{' '}
              <input
                defaultValue={Array.isArray(v) ? JSON.stringify(v) : String(v)}
                key={`${preset}-${k}`}
                onBlur={(e) => {
                  const raw = e.target.value;
                  let value: unknown = raw;
                  if (typeof v === 'number') value = Number(raw);
                  else if (typeof v === 'boolean') value = raw === 'true';
                  else if (Array.isArray(v)) {
                    try {
                      value = JSON.parse(raw);
                    } catch {
                      value = v;
                    }
                  }
                  const next = { ...params, [k]: value };
                  setParams(next);
                  try {
                    setText(presetText(preset, next));
                  } catch (err) {
                    setRunError(errorText(err));
                  }
                }}
              />
            </label>
          ))}
        </div>
        <Editor text={text} onChange={setText} />
        <div className="problems" data-testid="problems">
          {checked.diagnostics.length === 0 ? (
            <span className="ok">spec ok</span>
          ) : (
            checked.diagnostics.map((d) => (
              <div key={`${d.path}:${d.from}:${d.message}`} className="problem">
                <b>{d.path}</b>: {d.message}
              </div>
            ))
          )}
        </div>
      </section>
      <section className="right">
        <div className="graph-wrap">
          <GraphView layout={layout} stale={checked.spec === null} />
        </div>
        <div className="controls">
          <label>
            backend{' '}
            <select
              value={backendLabel}
              onChange={(e) => setBackendLabel(e.target.value)}
              data-testid="backend"
            >
              {backendOptions.map((o) => {
                const a = availability.find((x) => x.label === o.label);
                const reason = a && 'reason' in a ? a.reason : undefined;
                return (
                  <option
                    key={o.label}
                    value={o.label}
                    disabled={a === undefined || reason !== undefined}
                    title={reason}
                  >
                    {o.label}
                    {reason
                      ? ` (unavailable: ${reason.slice(0, 80)})`
                      : a === undefined
                        ? ' (starting…)'
                        : ''}
                  </option>
                );
              })}
            </select>
          </label>
          <label>
            seed{' '}
            <input
              type="number"
              value={seed}
              onChange={(e) => setSeed(Number(e.target.value) || 0)}
            />
          </label>
          <label>
            bind <input value={bindingText} onChange={(e) => setBindingText(e.target.value)} />
          </label>
        </div>
        <nav className="tabs">
          {(['run', 'compare', 'conformance', 'weights'] as Tab[]).map((t) => (
            <button
              type="button"
              key={t}
              className={tab === t ? 'active' : ''}
              onClick={() => setTab(t)}
              data-testid={`tab-${t}`}
            >
              {t}
            </button>
          ))}
        </nav>
        {runError && (
          <pre className="error" data-testid="error">
            {runError}
          </pre>
        )}
        {tab === 'run' && (
          <div className="panel">
            {lm && tokenizer && (
              <GeneratePanel
                spec={good}
                weights={weights}
                backend={backendLabel}
                tokenizer={tokenizer}
                tokenizerConfig={loadedTokenizer?.config}
                prompt={prompt}
                onPrompt={setPrompt}
                seed={seed}
                generation={generation}
              />
            )}
            <button type="button" disabled={busy} onClick={run} data-testid="run">
              run forward pass
            </button>
            {result && (
              <div className="result" data-testid="result">
                <p>
                  compile {result.compileMs.toFixed(1)} ms · first run{' '}
                  {result.firstRunMs.toFixed(1)} ms · median of {result.runs} later runs{' '}
                  {result.medianMs.toFixed(2)} ms
                </p>
                {Object.entries(result.outputs).map(([name, t]) => (
                  <div key={name}>
                    <b>{name}</b> [{t.shape.join(', ')}] {preview(t)}
                    {lm && tokenizer && name === 'logits' && (
                      <div className="topk">
                        next token:{' '}
                        {topK(t, 5).map((c) => (
                          <span key={c.id}>
                            {JSON.stringify(tokenizer.decode([c.id]))} {(c.p * 100).toFixed(1)}%{' '}
                          </span>
                        ))}
                      </div>
                    )}
                  </div>
                ))}
              </div>
            )}
            <div className="heatmaps">
              {heat.map((h) => (
                <Heatmap key={h.label} probs={h.probs} label={h.label} />
              ))}
            </div>
          </div>
        )}
        {tab === 'compare' && (
          <div className="panel">
            <button type="button" disabled={busy} onClick={runCompare} data-testid="compare">
              compare every available backend
            </button>
            <table className="matrix" data-testid="compare-table">
              <thead>
                <tr>
                  <th>backend</th>
                  <th>result</th>
                  <th>max abs</th>
                  <th>max rel</th>
                  <th>median ms</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {compare.map((r) => (
                  <tr key={r.label} className={r.status}>
                    <td>{r.label}</td>
                    <td>{r.status}</td>
                    <td>{r.maxAbs?.toExponential(2) ?? ''}</td>
                    <td>{r.maxRel?.toExponential(2) ?? ''}</td>
                    <td>{r.ms?.toFixed(2) ?? ''}</td>
                    <td className="detail">{r.detail ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p className="note">
              pass: every element within |got − want| ≤ {defaultTolerance.atol} +{' '}
              {defaultTolerance.rtol}·|want| of the float64 reference.
            </p>
          </div>
        )}
        {tab === 'conformance' && (
          <div className="panel">
            <button type="button" disabled={busy} onClick={runCatalogue} data-testid="conformance">
              run the conformance catalogue on this device ({catalogue.length} cases)
            </button>{' '}
            <span>{progress}</span>
            {report && (
              <>
                <button
                  type="button"
                  onClick={() =>
                    download(
                      'conformance.json',
                      JSON.stringify(reportToJSON(report), null, 2),
                      'application/json',
                    )
                  }
                >
                  download JSON report
                </button>
                <pre className="report" data-testid="report">
                  {renderTerminal(report, { color: false })}
                </pre>
              </>
            )}
          </div>
        )}
        {tab === 'weights' && (
          <div className="panel">
            <p>{loaded ? `using ${loaded.name}` : `using seeded weights (seed ${seed})`}</p>
            {loadedProblem && <pre className="error">{loadedProblem}</pre>}
            <label>
              load .safetensors (or a shard index with its shards){' '}
              <input
                type="file"
                accept=".safetensors,.json"
                multiple
                data-testid="weights-file"
                onChange={(e) => e.target.files?.length && loadWeights([...e.target.files])}
              />
            </label>
            {lm && (
              <TokenizerLoader
                loaded={loadedTokenizer}
                vocabLimit={numEmbeddings}
                onChange={setLoadedTokenizer}
              />
            )}
            <div className="downloads">
              <button
                type="button"
                onClick={() =>
                  download(`${good.name}.json`, JSON.stringify(good, null, 2), 'application/json')
                }
              >
                download spec
              </button>
              <button
                type="button"
                onClick={() =>
                  download(
                    `${good.name}.safetensors`,
                    writeSafetensors(weights, { spec: JSON.stringify(good) }) as BlobPart,
                    'application/octet-stream',
                  )
                }
              >
                download weights
              </button>
              <button type="button" onClick={downloadOnnx}>
                download ONNX
              </button>
            </div>
          </div>
        )}
      </section>
    </div>
  );
}
