// Turns a spec's text into diagnostics at text ranges: JSON syntax errors at their position and
// every SpecError issue underlined at its JSON path (the value, or the key for unknown keys).
import { type IssuePath, safeParseSpec, type ModelSpec, formatPath } from '@tessera/spec';
import jsonMap from 'json-source-map';

export interface Diagnostic {
  from: number;
  to: number;
  message: string;
  path: string;
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
    const pos = at ? Math.min(Number(at[1]), text.length) : 0;
    return {
      spec: null,
      diagnostics: [
        {
          from: pos,
          to: Math.min(pos + 1, text.length),
          message: `JSON: ${message}`,
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
          message: issue.message,
          path: formatPath(issue.path),
        };
      }
    }
    return { from: 0, to: 1, message: issue.message, path: formatPath(issue.path) };
  });
  return { spec: null, diagnostics };
}
