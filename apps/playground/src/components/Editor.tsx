// The spec editor: CodeMirror 6 with JSON highlighting, completion and hover from the exported
// JSON Schema, and inline diagnostics from parseSpec (each SpecError issue at its JSON path).
import { jsonLanguage, json } from '@codemirror/lang-json';
import { linter, lintGutter } from '@codemirror/lint';
import { EditorState } from '@codemirror/state';
import { hoverTooltip } from '@codemirror/view';
import { specJsonSchema } from '@tessera/spec';
import { basicSetup, EditorView } from 'codemirror';
import { jsonCompletion, jsonSchemaHover, stateExtensions } from 'codemirror-json-schema';
import { useEffect, useRef } from 'react';
import { checkSpecText } from '../lib/diagnostics';

const schema = specJsonSchema();

export function Editor({ text, onChange }: { text: string; onChange: (text: string) => void }) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const latest = useRef(onChange);
  latest.current = onChange;

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
          hoverTooltip(jsonSchemaHover()),
          stateExtensions(schema as never),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) latest.current(u.state.doc.toString());
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
    if (v && v.state.doc.toString() !== text) {
      v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: text } });
    }
  }, [text]);

  return <div className="editor" ref={host} data-testid="editor" />;
}
