// Turns a spec's text into diagnostics at text ranges: JSON syntax errors at their line and
// column, and every SpecError issue underlined at its JSON path (the value, or the key for
// unknown keys). Also finds the text of a path, for the graph's "show in the spec".
import { type IssuePath, safeParseSpec, type ModelSpec, formatPath } from '@tessera/spec';
import jsonMap from 'json-source-map';

export interface Diagnostic {
  from: number;
  to: number;
  /** 1-based, of `from`. */
  line: number;
  column: number;
  message: string;
  path: string;
}

/** The 1-based line and column of a text offset. */
export function lineColumn(text: string, pos: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < pos; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: pos - start + 1 };
}

interface Pointer {
  key?: { pos: number };
  keyEnd?: { pos: number };
  value: { pos: number };
  valueEnd: { pos: number };
}

function pointerOf(path: IssuePath): string {
  return path.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

export type Checked =
  | { spec: ModelSpec; diagnostics: [] }
  | { spec: null; diagnostics: Diagnostic[] };

export function checkSpecText(text: string): Checked {
  let parsed: { data: unknown; pointers: Record<string, Pointer> };
  try {
    parsed = jsonMap.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    const at = /position (\d+)/.exec(message);
    // "Unexpected end" has no position: it is at the end.
    const pos = at ? Math.min(Number(at[1]), text.length) : text.length;
    const { line, column } = lineColumn(text, pos);
    return {
      spec: null,
      diagnostics: [
        {
          from: pos,
          to: Math.min(pos + 1, text.length),
          line,
          column,
          message: `JSON syntax at line ${line}, column ${column}: ${message.replace(/ in JSON at position \d+$/, '')}`,
          path: '(spec)',
        },
      ],
    };
  }
  const result = safeParseSpec(parsed.data);
  if (result.success) return { spec: result.spec, diagnostics: [] };
  const diagnostics = result.error.issues.map((issue) => {
    // Walk up the path until a pointer exists (a missing key is reported on its parent object).
    for (let n = issue.path.length; n >= 0; n--) {
      const p = pointerOf(issue.path.slice(0, n));
      if (Object.hasOwn(parsed.pointers, p)) {
        const ptr = parsed.pointers[p];
        const exact = n === issue.path.length;
        const from = exact && ptr.key ? ptr.key.pos : ptr.value.pos;
        const to = exact ? ptr.valueEnd.pos : (ptr.key?.pos ?? ptr.value.pos) + 1;
        return {
          from,
          to: Math.max(to, from + 1),
          ...lineColumn(text, from),
          message: issue.message,
          path: formatPath(issue.path),
        };
      }
    }
    return {
      from: 0,
      to: 1,
      line: 1,
      column: 1,
      message: issue.message,
      path: formatPath(issue.path),
    };
  });
  return { spec: null, diagnostics };
}

/** The text range of the value at `path` (its key too, in an object), or undefined. */
export function rangeOfPath(
  text: string,
  path: IssuePath,
): { from: number; to: number } | undefined {
  let pointers: Record<string, Pointer>;
  try {
    pointers = jsonMap.parse(text).pointers;
  } catch {
    return undefined;
  }
  const p = pointerOf(path);
  if (!Object.hasOwn(pointers, p)) return undefined;
  const ptr = pointers[p];
  return { from: ptr.key?.pos ?? ptr.value.pos, to: ptr.valueEnd.pos };
}
