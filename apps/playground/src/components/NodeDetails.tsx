// The details of the graph node clicked: its op and attributes, the shapes it takes and gives at
// the current bindings, its weights (names and shapes from the spec's weight manifest), and a
// button that selects its JSON in the editor.
import {
  formatShape,
  type IssuePath,
  inferShapes,
  type ModelSpec,
  parameterCount,
  parseRef,
  weightManifest,
} from '@tessera/spec';
import { useMemo } from 'react';

/** Where the node's JSON is in the spec: `nodes[i]`, `inputs.x` or `outputs.y`. */
export function pathOfNode(spec: ModelSpec, id: string): IssuePath | undefined {
  if (id.startsWith('output:')) return ['outputs', id.slice('output:'.length)];
  if (Object.hasOwn(spec.inputs, id)) return ['inputs', id];
  const i = spec.nodes.findIndex((n) => n.id === id);
  return i === -1 ? undefined : ['nodes', i];
}

export function NodeDetails(props: {
  spec: ModelSpec;
  bindings: Record<string, number>;
  id: string;
  /** Undefined when the spec text is not valid now (its JSON may not match the graph). */
  onShow?: (path: IssuePath) => void;
  onClose: () => void;
}) {
  const { spec, bindings, id } = props;
  const info = useMemo(() => {
    let shapes: ReturnType<typeof inferShapes>;
    try {
      shapes = inferShapes(spec, bindings);
    } catch {
      shapes = inferShapes(spec);
    }
    const shapeOf = (ref: string) => {
      const s = shapes.get(ref) ?? shapes.get(parseRef(ref).node);
      return s ? `${s.dtype} ${formatShape(s.shape)}` : '?';
    };
    const node = spec.nodes.find((n) => n.id === id);
    if (node === undefined) {
      const ref = id.startsWith('output:') ? spec.outputs[id.slice('output:'.length)] : id;
      return { title: id, attrs: [], inputs: [], output: ref ? shapeOf(ref) : '?', weights: [] };
    }
    const {
      id: _id,
      op,
      input,
      ...attrs
    } = node as Record<string, unknown> & {
      id: string;
      op: string;
      input: string[];
    };
    return {
      title: `${id}: ${op}`,
      attrs: Object.entries(attrs).map(([k, v]) => [k, JSON.stringify(v)] as const),
      inputs: input.map((r) => [r, shapeOf(r)] as const),
      output: shapeOf(id),
      weights: weightManifest(spec).filter((w) => w.node === id),
      params: parameterCount(spec, id),
    };
  }, [spec, bindings, id]);
  const path = pathOfNode(spec, id);
  return (
    <aside className="node-details" data-testid="node-details">
      <header>
        <b>{info.title}</b>
        {props.onShow && path && (
          <button type="button" onClick={() => props.onShow?.(path)} data-testid="show-json">
            show in the spec
          </button>
        )}
        <button type="button" onClick={props.onClose} aria-label="close details">
          ×
        </button>
      </header>
      <table>
        <tbody>
          {info.inputs.map(([r, s]) => (
            <tr key={`in-${r}`}>
              <th>input {r}</th>
              <td>{s}</td>
            </tr>
          ))}
          <tr>
            <th>output</th>
            <td data-testid="node-output">{info.output}</td>
          </tr>
          {info.attrs.map(([k, v]) => (
            <tr key={`attr-${k}`}>
              <th>{k}</th>
              <td>{v}</td>
            </tr>
          ))}
          {info.weights.map((w) => (
            <tr key={`w-${w.name}`} className="weight">
              <th>{w.buffer ? 'buffer' : 'weight'}</th>
              <td>
                {w.name} [{w.shape.join(', ')}]
              </td>
            </tr>
          ))}
          {info.weights.length > 0 && (
            <tr>
              <th>parameters</th>
              <td>{(info.params ?? 0).toLocaleString('en-US')}</td>
            </tr>
          )}
        </tbody>
      </table>
    </aside>
  );
}
