// The spec editor: CodeMirror 6 with JSON highlighting, completion of ops, attributes and their
// values and descriptions on hover from the spec's JSON Schema (src/lib/editor-schema.ts), and
// inline diagnostics from parseSpec (each SpecError issue at its JSON path). `focus` asks it to
// select and show a range (a problem clicked in the list, a graph node's JSON).
import { json, jsonLanguage } from '@codemirror/lang-json';
import { linter, lintGutter } from '@codemirror/lint';
import { EditorSelection, EditorState } from '@codemirror/state';
import { hoverTooltip } from '@codemirror/view';
import { disableErrorLogging } from 'best-effort-json-parser';
import { basicSetup, EditorView } from 'codemirror';
import { jsonCompletion, jsonSchemaHover, stateExtensions } from 'codemirror-json-schema';
import { useEffect, useRef } from 'react';
import { checkSpecText } from '../lib/diagnostics';
import { editorSchema, hoverTexts } from '../lib/editor-schema';

const schema = editorSchema();

// Completion reads the half-typed document with best-effort-json-parser, which reports every
// unfinished document on console.error; an unfinished document is the normal case while typing.
disableErrorLogging();

export function Editor(props: {
  text: string;
  onChange: (text: string) => void;
  focus: { from: number; to: number; seq: number } | null;
}) {
  const { text, focus } = props;
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const latest = useRef(props.onChange);
  latest.current = props.onChange;
  // Texts the editor has reported that have not yet come back as `text`. React may render an
  // older one after the person has typed on (two edits, one render between them): that `text` is
  // the editor's own echo, not a change from outside, and pushing it would undo the later edit.
  const reported = useRef<string[]>([]);

  // The editor is created once; outside changes are pushed by the effect below.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `text` seeds the first document only
  useEffect(() => {
    const v = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: text,
        extensions: [
          basicSetup,
          json(),
          lintGutter(),
          linter(
            (ev) =>
              checkSpecText(ev.state.doc.toString()).diagnostics.map((d) => ({
                from: Math.min(d.from, ev.state.doc.length),
                to: Math.min(d.to, ev.state.doc.length),
                severity: 'error' as const,
                message: `${d.path}: ${d.message}`,
              })),
            { delay: 250 },
          ),
          jsonLanguage.data.of({ autocomplete: jsonCompletion() }),
          hoverTooltip(
            jsonSchemaHover({
              getHoverTexts: (data) => hoverTexts(data.schema as Record<string, unknown>),
            }),
          ),
          stateExtensions(schema as never),
          EditorView.updateListener.of((u) => {
            if (!u.docChanged) return;
            const doc = u.state.doc.toString();
            // Bounded: a parent that never echoes must not grow this without end.
            if (reported.current.push(doc) > 64) reported.current.shift();
            latest.current(doc);
          }),
        ],
      }),
    });
    view.current = v;
    // End-to-end tests drive the editor through its view, as a person's edits would.
    (host.current as HTMLDivElement & { editorView?: EditorView }).editorView = v;
    return () => v.destroy();
  }, []);

  useEffect(() => {
    const v = view.current;
    if (v === null) return;
    const echo = reported.current.lastIndexOf(text);
    if (echo >= 0) {
      reported.current.splice(0, echo + 1);
      return;
    }
    reported.current = [];
    if (v.state.doc.toString() !== text) {
      v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: text } });
    }
  }, [text]);

  useEffect(() => {
    const v = view.current;
    if (v === null || focus === null) return;
    const to = Math.min(focus.to, v.state.doc.length);
    const from = Math.min(focus.from, to);
    v.dispatch({
      selection: EditorSelection.single(from, to),
      effects: EditorView.scrollIntoView(from, { y: 'center' }),
    });
    v.focus();
  }, [focus]);

  return <div className="editor" ref={host} data-testid="editor" />;
}
