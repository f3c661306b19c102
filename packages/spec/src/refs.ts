// References between nodes: `name` (a model input or a node's main output) or `id:port`.

/** A parsed reference: a node id (or model input name) and its port, null for the main output. */
export interface Ref {
  node: string;
  port: string | null;
}

/** Splits a reference `name` or `id:port` at its first colon. */
export function parseRef(ref: string): Ref {
  const i = ref.indexOf(':');
  return i < 0 ? { node: ref, port: null } : { node: ref.slice(0, i), port: ref.slice(i + 1) };
}
