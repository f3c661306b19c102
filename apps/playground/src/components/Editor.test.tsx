// The editor and the store's text: an echo of the editor's own edits, rendered late, must not
// undo what the person typed after it; a text from outside (a preset, a link) replaces the doc.
import { act, cleanup, render } from '@testing-library/react';
import type { EditorView } from 'codemirror';
import { afterEach, expect, test } from 'vitest';
import { Editor } from './Editor';

afterEach(cleanup);

function mount(text: string) {
  const reports: string[] = [];
  const onChange = (t: string) => reports.push(t);
  const r = render(<Editor text={text} onChange={onChange} focus={null} />);
  const host = r.getByTestId('editor') as HTMLElement & { editorView: EditorView };
  const view = host.editorView;
  const type = (s: string) =>
    act(() => view.dispatch({ changes: { from: view.state.doc.length, insert: s } }));
  const rerender = (t: string) =>
    act(() => r.rerender(<Editor text={t} onChange={onChange} focus={null} />));
  return { view, reports, type, rerender };
}

test('two edits with one render between them: the late echo of the first keeps the second', () => {
  const { view, reports, type, rerender } = mount('{"a":1');
  type(',');
  type('"b"');
  expect(reports).toEqual(['{"a":1,', '{"a":1,"b"']);
  // React renders the first report after the second edit was made.
  rerender('{"a":1,');
  expect(view.state.doc.toString()).toBe('{"a":1,"b"');
  rerender('{"a":1,"b"');
  expect(view.state.doc.toString()).toBe('{"a":1,"b"');
  expect(reports).toEqual(['{"a":1,', '{"a":1,"b"']);
});

test('a text from outside replaces the document, and is reported back once', () => {
  const { view, reports, type, rerender } = mount('{}');
  type(' ');
  rerender('{"preset":true}');
  expect(view.state.doc.toString()).toBe('{"preset":true}');
  // An older echo after an outside change is outside too: the store sent it, the editor shows it.
  rerender('{} ');
  expect(view.state.doc.toString()).toBe('{} ');
  expect(reports).toEqual(['{} ', '{"preset":true}', '{} ']);
});
