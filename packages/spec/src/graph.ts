// parseSpec: schema check, graph normalisation (implicit inputs, references, topological order)
// and graph-level checks, every problem reported as a SpecError issue with a JSON path.
import type { z } from 'zod';
import { type Dim, formatShape } from './dims.js';
import { IssueList, type IssuePath, quote, SpecError, type SpecIssue } from './errors.js';
import { appendedLengths, lengthsShapeIssues, lengthsUses } from './lengths.js';
import { type Limits, resolveLimits } from './limits.js';
import { inputDtypeOf, prefixOf, ShapeIssue, type TensorInfo } from './ops/common.js';
import { type NodeSpec, nodeSchema, opDef, opNames } from './ops/registry.js';
import { parseRef } from './refs.js';
import { FORMAT, type ModelSpec, modelSchema } from './schema.js';
import { numel } from './tensor.js';

/** Options of parseSpec: the limits its parameter count is checked against. */
export interface ParseOptions {
  limits?: Partial<Limits>;
}

const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function zodIssues(error: z.ZodError, raw: unknown): SpecIssue[] {
  const out: SpecIssue[] = [];
  for (const issue of error.issues) {
    const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)) as IssuePath;
    if (
      issue.code === 'invalid_union' &&
      'discriminator' in issue &&
      issue.discriminator === 'op'
    ) {
      const node = lookup(raw, path.slice(0, -1));
      const op =
        node !== null && typeof node === 'object'
          ? (node as Record<string, unknown>).op
          : undefined;
      out.push({
        path,
        message:
          op === undefined
            ? `is required: every node needs an op (one of ${opNames.join(', ')})`
            : `unknown op ${quote(op)}; the v1 ops are ${opNames.join(', ')}`,
      });
    } else if (issue.code === 'unrecognized_keys') {
      const owner = lookup(raw, path);
      const op =
        owner !== null && typeof owner === 'object'
          ? (owner as Record<string, unknown>).op
          : undefined;
      for (const key of issue.keys) {
        out.push({
          path: [...path, key],
          message:
            typeof op === 'string'
              ? `is not an attribute of op ${quote(op)}`
              : 'is not a field of this object',
        });
      }
    } else if (issue.code === 'invalid_type' && lookup(raw, path) === undefined) {
      out.push({ path, message: `is required (${issue.expected})` });
    } else if (issue.code === 'invalid_value' && path.length === 1 && path[0] === 'format') {
      out.push({ path, message: `must be "${FORMAT}"` });
    } else {
      out.push({ path, message: issue.message });
    }
  }
  return out;
}

function lookup(value: unknown, path: IssuePath): unknown {
  let v = value;
  for (const p of path) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v as object, p)) return undefined;
    v = (v as Record<string | number, unknown>)[p];
  }
  return v;
}

/** Keys zod would silently drop or that would reach an object's prototype. */
function reservedKeyIssues(raw: unknown): SpecIssue[] {
  const out: SpecIssue[] = [];
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return out;
  for (const field of ['inputs', 'outputs'] as const) {
    const rec = (raw as Record<string, unknown>)[field];
    if (rec !== null && typeof rec === 'object') {
      for (const key of Object.keys(rec)) {
        if (RESERVED_KEYS.has(key))
          out.push({ path: [field, key], message: `${JSON.stringify(key)} is a reserved name` });
      }
    }
  }
  // Dim names become keys of bindings objects (`--bind time=16`, the playground's fields).
  const inputs = (raw as Record<string, unknown>).inputs;
  if (inputs !== null && typeof inputs === 'object') {
    for (const [name, input] of Object.entries(inputs)) {
      const shape = (input as { shape?: unknown } | null)?.shape;
      if (!Array.isArray(shape)) continue;
      shape.forEach((d, i) => {
        if (typeof d === 'string' && RESERVED_KEYS.has(d))
          out.push({
            path: ['inputs', name, 'shape', i],
            message: `${JSON.stringify(d)} is a reserved name; call the dim something else`,
          });
      });
    }
  }
  return out;
}

/**
 * Parses and normalises a spec (an object, or JSON text). Throws SpecError.
 *
 * @example
 * const spec = parseSpec(readFileSync('model.json', 'utf8'));
 * const model = await backend.compile(spec, initWeights(spec, 0));
 */
export function parseSpec(json: unknown, options: ParseOptions = {}): ModelSpec {
  let raw = json;
  if (typeof json === 'string') {
    try {
      raw = JSON.parse(json);
    } catch (e) {
      throw new SpecError([{ path: [], message: `is not valid JSON: ${(e as Error).message}` }]);
    }
  }
  try {
    const reserved = reservedKeyIssues(raw);
    if (reserved.length > 0) throw new SpecError(reserved);
    const result = modelSchema.safeParse(raw);
    if (!result.success) {
      const schema = zodIssues(result.error, raw);
      throw new SpecError([...schema, ...shapeIssuesOfParsedNodes(raw, schema)]);
    }
    return normalise(
      result.data as unknown as ModelSpec & { nodes: (NodeSpec & { input?: string | string[] })[] },
      options,
    );
  } catch (e) {
    if (e instanceof SpecError) throw e;
    // Anything else (a stack overflow on absurd nesting, ...) still leaves as a SpecError.
    throw new SpecError([
      { path: [], message: `could not be checked: ${(e as Error)?.message ?? String(e)}` },
    ]);
  }
}

/**
 * After schema problems, the shape problems of the nodes that did parse, so one report lists
 * both (a misspelt attribute on one node must not hide a width mismatch on another). Needs the
 * inputs to have parsed; a node that failed, or reads one that failed, is skipped, as is a node
 * reading a later one (the order is only known once every node parses).
 */
function shapeIssuesOfParsedNodes(raw: unknown, schemaIssues: SpecIssue[]): SpecIssue[] {
  const failed = new Set<number>();
  for (const { path } of schemaIssues) {
    if (path[0] === 'nodes' && typeof path[1] === 'number') failed.add(path[1]);
    else if (path[0] !== 'outputs' && path[0] !== 'format' && path[0] !== 'name') return [];
  }
  const { inputs: rawInputs, nodes: rawNodes } = raw as { inputs?: unknown; nodes?: unknown };
  const inputs = modelSchema.shape.inputs.safeParse(rawInputs);
  if (!inputs.success || !Array.isArray(rawNodes)) return [];
  const inputNames = Object.keys(inputs.data);
  const nodes: NodeSpec[] = [];
  const written: number[] = [];
  rawNodes.forEach((rawNode: unknown, i) => {
    if (failed.has(i)) return;
    const parsed = nodeSchema.safeParse(rawNode);
    if (!parsed.success) return;
    const node = parsed.data as NodeSpec & { input?: string | string[] };
    const before = (rawNodes[i - 1] as { id?: unknown } | null)?.id;
    let input: string[] | undefined;
    if (node.input !== undefined)
      input = typeof node.input === 'string' ? [node.input] : node.input;
    else if (i > 0 && typeof before === 'string') input = [before];
    else if (i === 0 && inputNames.length === 1) input = [inputNames[0]];
    if (input === undefined) return;
    nodes.push({ ...node, input } as NodeSpec);
    written.push(i);
  });
  try {
    inferShapesAt(
      { inputs: inputs.data, outputs: {}, nodes } as unknown as ModelSpec,
      undefined,
      written,
    );
  } catch (e) {
    if (e instanceof SpecError) return e.issues;
  }
  return [];
}

/** What safeParseSpec gives: the parsed spec, or the SpecError parseSpec would have thrown. */
export type SafeParseResult =
  | { success: true; spec: ModelSpec }
  | { success: false; error: SpecError };

/** parseSpec without the throw, as zod's safeParse: `{ success, spec }` or `{ success, error }`. */
export function safeParseSpec(json: unknown, options: ParseOptions = {}): SafeParseResult {
  try {
    return { success: true, spec: parseSpec(json, options) };
  } catch (e) {
    return { success: false, error: e as SpecError };
  }
}

function normalise(
  parsed: ModelSpec & { nodes: (NodeSpec & { input?: string | string[] })[] },
  options: ParseOptions,
): ModelSpec {
  const issues = new IssueList<SpecIssue>();
  const inputNames = Object.keys(parsed.inputs);
  if (inputNames.length === 0)
    issues.push({ path: ['inputs'], message: 'needs at least one model input' });
  if (Object.keys(parsed.outputs).length === 0)
    issues.push({ path: ['outputs'], message: 'needs at least one output' });

  // Explicit inputs: left out means the previous node (the sole model input for the first node).
  const nodes: NodeSpec[] = parsed.nodes.map((node, i) => {
    let input: string[];
    if (node.input === undefined) {
      if (i > 0) input = [parsed.nodes[i - 1].id];
      else if (inputNames.length === 1) input = [inputNames[0]];
      else {
        issues.push({
          path: ['nodes', 0, 'input'],
          message: `is required: the model has ${inputNames.length} inputs, so say which one the first node reads`,
        });
        input = [];
      }
    } else input = typeof node.input === 'string' ? [node.input] : [...node.input];
    return { ...node, input } as NodeSpec;
  });

  // Ids: unique and distinct from input names.
  const indexOf = new Map<string, number>();
  nodes.forEach((node, i) => {
    if (indexOf.has(node.id)) {
      issues.push({
        path: ['nodes', i, 'id'],
        message: `duplicate id ${JSON.stringify(node.id)} (first used by nodes[${indexOf.get(node.id)}])`,
      });
    } else if (Object.hasOwn(parsed.inputs, node.id)) {
      issues.push({
        path: ['nodes', i, 'id'],
        message: `${JSON.stringify(node.id)} is already the name of a model input`,
      });
    } else indexOf.set(node.id, i);
  });

  // Listed once for every unknown reference (building it per reference was quadratic).
  let known: string | undefined;
  const knownNames = () => {
    if (known !== undefined) return known;
    const names: string[] = inputNames.slice(0, 21);
    for (const id of indexOf.keys()) {
      if (names.length > 20) break;
      names.push(id);
    }
    known = `${names.slice(0, 20).join(', ')}${names.length > 20 ? ', ...' : ''}`;
    return known;
  };
  const checkRef = (ref: string, path: IssuePath): number | null | undefined => {
    const { node, port } = parseRef(ref);
    if (port === null && Object.hasOwn(parsed.inputs, node)) return null;
    const k = indexOf.get(node);
    if (k === undefined) {
      issues.push({
        path,
        message: `unknown reference ${quote(ref)}; known names: ${knownNames()}`,
      });
      return undefined;
    }
    if (port !== null) {
      const def = opDef(nodes[k].op)!;
      const ports = def.ports?.(nodes[k]) ?? [];
      if (!ports.includes(port)) {
        issues.push({
          path,
          message:
            ports.length === 0
              ? `node ${JSON.stringify(node)} (${nodes[k].op}) has no extra outputs, so ${JSON.stringify(ref)} does not exist`
              : `node ${JSON.stringify(node)} (${nodes[k].op}) has no port ${JSON.stringify(port)}; its ports are ${ports.join(', ')}`,
        });
        return undefined;
      }
    }
    return k;
  };

  const deps: number[][] = nodes.map(() => []);
  nodes.forEach((node, i) => {
    const def = opDef(node.op)!;
    const [lo, hi] = def.arity;
    const path: IssuePath = ['nodes', i, 'input'];
    if (node.input.length < lo || node.input.length > hi) {
      issues.push({
        path,
        message: `op ${node.op} takes ${lo === hi ? lo : `${lo} to ${hi}`} input${hi === 1 ? '' : 's'}, got ${node.input.length}`,
      });
    }
    node.input.forEach((ref, j) => {
      const k = checkRef(
        ref,
        node.input.length === 1 &&
          parsed.nodes[i].input !== undefined &&
          typeof parsed.nodes[i].input === 'string'
          ? path
          : [...path, j],
      );
      if (typeof k === 'number') {
        if (k === i)
          issues.push({
            path: [...path, j],
            message: `node ${JSON.stringify(node.id)} reads its own output`,
          });
        else deps[i].push(k);
      }
    });
  });
  for (const [name, ref] of Object.entries(parsed.outputs)) checkRef(ref, ['outputs', name]);
  // `lengths` names a model input (never a node's output: it is known before anything runs).
  nodes.forEach((node, i) => {
    for (const use of lengthsUses(node)) {
      if (!Object.hasOwn(parsed.inputs, use.ref))
        issues.push({
          path: ['nodes', i, use.attr],
          message: `${quote(use.ref)} is not a model input; ${use.attr} names an int32 [batch] model input (inputs: ${inputNames.slice(0, 20).join(', ')})`,
        });
    }
  });
  if (issues.length > 0) throw new SpecError(issues);

  // Topological order, stable with respect to the written order (Kahn's algorithm).
  const indegree = deps.map((d) => d.length);
  const users: number[][] = nodes.map(() => []);
  deps.forEach((d, i) => {
    for (const k of d) users[k].push(i);
  });
  const order: number[] = [];
  const ready = indegree.flatMap((d, i) => (d === 0 ? [i] : []));
  while (ready.length > 0) {
    ready.sort((p, q) => p - q);
    const i = ready.shift()!;
    order.push(i);
    for (const u of users[i]) if (--indegree[u] === 0) ready.push(u);
  }
  if (order.length < nodes.length) {
    const stuck = nodes.flatMap((n, i) => (indegree[i] > 0 ? [`${n.id} (nodes[${i}])`] : []));
    const first = indegree.findIndex((d) => d > 0);
    const shown = stuck.slice(0, 10).join(', ');
    throw new SpecError([
      {
        path: ['nodes', first, 'input'],
        message: `the graph has a cycle through ${shown}${stuck.length > 10 ? ` and ${stuck.length - 10} more nodes` : ''}`,
      },
    ]);
  }

  const spec: ModelSpec = { ...parsed, nodes: order.map((i) => nodes[i]) };
  // Shape rules find width mismatches and impossible attributes; paths point at written indices.
  inferShapesAt(spec, undefined, order);
  const named = weightNameIssues(nodes);
  if (named.length > 0) throw new SpecError(named);
  checkParameterLimit(spec, resolveLimits(options.limits));
  return spec;
}

/**
 * Weight names (after the shape rules, so every op's weights can be listed), over the nodes in
 * written order: `tiedTo` names an embedding of the linear's size, no two nodes share a weight
 * prefix, and no two weights share a full name (`enc` + `self_attn.in_proj_weight` is also
 * `enc.self_attn` + `in_proj_weight`: prefixes may nest, their weight names may not meet).
 */
function weightNameIssues(nodes: NodeSpec[]): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const byId = new Map(nodes.map((n, i) => [n.id, i]));
  nodes.forEach((node, i) => {
    if (node.op !== 'linear' || node.tiedTo === undefined) return;
    const path: IssuePath = ['nodes', i, 'tiedTo'];
    const k = byId.get(node.tiedTo);
    const target = k === undefined ? undefined : nodes[k];
    if (target === undefined) {
      issues.push({
        path,
        message: `${JSON.stringify(node.tiedTo)} is not a node of this spec; tiedTo names the embedding whose table the linear reads as its weight`,
      });
    } else if (target.op !== 'embedding') {
      issues.push({
        path,
        message: `node ${JSON.stringify(target.id)} is a ${target.op}, not an embedding; tiedTo names the embedding whose table the linear reads as its weight`,
      });
    } else if (
      node.inFeatures !== target.embeddingDim ||
      node.outFeatures !== target.numEmbeddings
    ) {
      issues.push({
        path,
        message: `embedding ${JSON.stringify(target.id)}'s table is [${target.numEmbeddings}, ${target.embeddingDim}] (numEmbeddings, embeddingDim), but this linear's weight is [${node.outFeatures}, ${node.inFeatures}] (outFeatures, inFeatures); a tied linear needs inFeatures = embeddingDim and outFeatures = numEmbeddings`,
      });
    }
  });

  const explicit = (j: number) => (nodes[j] as { weightPrefix?: string }).weightPrefix;
  const blame = (j: number): IssuePath =>
    explicit(j) === undefined ? ['nodes', j, 'id'] : ['nodes', j, 'weightPrefix'];
  const describe = (j: number) =>
    explicit(j) === undefined
      ? `nodes[${j}] (id ${JSON.stringify(nodes[j].id)}, no weightPrefix)`
      : `nodes[${j}] (${JSON.stringify(nodes[j].id)}, weightPrefix ${JSON.stringify(explicit(j))})`;
  const prefixes = new Map<string, number>();
  const names = new Map<string, { node: number; param: string }>();
  nodes.forEach((node, i) => {
    const def = opDef(node.op)!;
    if (def.weights === undefined) return;
    const prefix = prefixOf(node);
    const first = prefixes.get(prefix);
    if (first !== undefined) {
      // The node whose weightPrefix made the clash (ids are unique), the later one if both.
      const [at, other] = explicit(i) !== undefined ? [i, first] : [first, i];
      issues.push({
        path: blame(at),
        message: `weight prefix ${JSON.stringify(prefix)} is also the weight prefix of ${describe(other)}: both would read the same weights; give one of them another weightPrefix`,
      });
      return;
    }
    prefixes.set(prefix, i);
    const params = [
      ...def.weights(node).map((w) => w.name),
      ...(def.ignoredWeights?.(node) ?? []),
      // A tied head's own name, which checkWeights accepts as a copy of the table.
      ...(node.op === 'linear' && node.tiedTo !== undefined ? ['weight'] : []),
    ];
    for (const param of params) {
      const full = `${prefix}.${param}`;
      const owner = names.get(full);
      if (owner === undefined) {
        names.set(full, { node: i, param });
        continue;
      }
      const [at, other] =
        explicit(i) !== undefined || explicit(owner.node) === undefined
          ? [i, owner.node]
          : [owner.node, i];
      const mine = at === i ? param : owner.param;
      const theirs = at === i ? owner.param : param;
      issues.push({
        path: blame(at),
        message: `weight ${JSON.stringify(full)} (prefix ${JSON.stringify(prefixOf(nodes[at]))} + ${mine}) is also a weight of ${describe(other)} (prefix ${JSON.stringify(prefixOf(nodes[other]))} + ${theirs}); choose prefixes whose weight names do not meet`,
      });
      break;
    }
  });
  return issues;
}

function checkParameterLimit(spec: ModelSpec, limits: Limits): void {
  let total = 0;
  spec.nodes.forEach((node) => {
    for (const w of opDef(node.op)!.weights?.(node) ?? []) total += numel(w.shape);
  });
  if (total > limits.maxParameters) {
    throw new SpecError([
      {
        path: ['nodes'],
        message: `declares ${total.toLocaleString('en-US')} parameters, over the limit of ${limits.maxParameters.toLocaleString('en-US')}`,
      },
    ]);
  }
}

/**
 * Every tensor's dtype and shape: model inputs by name, node outputs by id, extra outputs by
 * `id:port`. Dims stay symbolic unless `bindings` gives them a size. Throws SpecError.
 */
export function inferShapes(
  spec: ModelSpec,
  bindings?: Record<string, number>,
): Map<string, TensorInfo> {
  return inferShapesAt(spec, bindings);
}

function inferShapesAt(
  spec: ModelSpec,
  bindings: Record<string, number> | undefined,
  written?: number[],
): Map<string, TensorInfo> {
  const infos = new Map<string, TensorInfo>();
  for (const [name, input] of Object.entries(spec.inputs)) {
    const shape: Dim[] = input.shape.map((d) =>
      typeof d === 'string' && bindings !== undefined && Object.hasOwn(bindings, d)
        ? bindings[d]
        : d,
    );
    infos.set(name, { dtype: input.dtype, shape });
  }
  const issues = new IssueList<SpecIssue>();
  spec.nodes.forEach((node, i) => {
    const at = written?.[i] ?? i;
    const def = opDef(node.op)!;
    // A lowered node's appended lengths are checked by the lengths rule, not by the op's.
    const own = node.input.slice(0, node.input.length - appendedLengths(node));
    const ins = own.map((ref) => infos.get(ref));
    if (ins.some((x) => x === undefined)) return; // an upstream node already failed
    const lengthIssues = lengthsShapeIssues(node, at, ins as TensorInfo[], infos);
    if (lengthIssues.length > 0) {
      for (const issue of lengthIssues) issues.push(issue);
      return;
    }
    const badDtype = ins.findIndex((x, k) => x!.dtype !== inputDtypeOf(def, k));
    if (badDtype >= 0) {
      const wanted = inputDtypeOf(def, badDtype);
      issues.push({
        path: ['nodes', at, 'input'],
        message: `op ${node.op} needs ${wanted} input but ${JSON.stringify(node.input[badDtype])} is ${ins[badDtype]!.dtype}${wanted === 'float32' ? ' (int32 tensors feed an embedding, or a position input)' : ''}`,
      });
      return;
    }
    try {
      const out = def.infer(node, ins as TensorInfo[]);
      infos.set(node.id, out.out);
      for (const [port, info] of Object.entries(out.ports ?? {}))
        infos.set(`${node.id}:${port}`, info);
    } catch (e) {
      if (!(e instanceof ShapeIssue)) throw e;
      const inShapes = ins.map((x) => formatShape(x!.shape)).join(', ');
      issues.push({
        path: e.attr === undefined ? ['nodes', at] : ['nodes', at, e.attr],
        message: e.attr === undefined ? `${node.op} ${e.message} (input ${inShapes})` : e.message,
      });
    }
  });
  if (issues.length > 0) throw new SpecError(issues);
  return infos;
}
