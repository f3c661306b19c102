// References between nodes: `name` (a model input or a node's main output) or `id:port`.

export interface Ref {
  node: string;
  port: string | null;
}

export function parseRef(ref: string): Ref {
  const i = ref.indexOf(':');
  return i < 0 ? { node: ref, port: null } : { node: ref.slice(0, i), port: ref.slice(i + 1) };
}
