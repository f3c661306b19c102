// One InferenceSession as a compiled model or a decoder's graph holds it: dispose() waits for the
// runs in flight and only then releases the session, and refuses the runs that start after it.
// ORT does not wait itself: onnxruntime-node rejects a run whose session was released under it
// ("Session already disposed."), and onnxruntime-web frees the wasm memory a run is still
// reading (issue 18: input names read back as garbage).
import { asRuntimeFailure, TesseraError } from '@tessera/spec';
import { sanitize } from './graph-builder.js';

interface Releasable {
  release(): Promise<void>;
}

export class SessionGuard<S extends Releasable> {
  private session: S | null;
  private readonly running = new Set<Promise<unknown>>();
  private disposing: Promise<void> | undefined;

  /** `what` names the holder in the error a late run gets ("ort:wasm model \"tiny\""). */
  constructor(
    session: S,
    private readonly what: string,
  ) {
    this.session = session;
  }

  get disposed(): boolean {
    return this.session === null;
  }

  /** The error a run, or anything else that needs the session, gets after dispose(). */
  refusal(): TesseraError {
    return new TesseraError(`${this.what} was disposed; compile it again to run it`);
  }

  /**
   * `run(session)`, counted in flight until it settles. The check and the count happen before the
   * first await, so a run called before dispose() is always waited for.
   */
  use<T>(run: (session: S) => Promise<T>): Promise<T> {
    const session = this.session;
    if (session === null) return Promise.reject(this.refusal());
    const pending = run(session);
    this.running.add(pending);
    const forget = () => this.running.delete(pending);
    pending.then(forget, forget);
    return pending;
  }

  /** Waits for the runs in flight (whatever their outcome), then releases the session; idempotent. */
  dispose(): Promise<void> {
    if (this.disposing === undefined) {
      const session = this.session;
      this.session = null;
      const inFlight = [...this.running];
      this.disposing = Promise.allSettled(inFlight).then(() => session?.release());
    }
    return this.disposing;
  }
}

/**
 * A failure thrown by ORT during a run, as a Tessera error: the runtime's message cleaned
 * (RuntimeFailure: no colour codes, no empty lines) and, where ORT names the ONNX node
 * (`Name:'l0_attn_qkv_MatMul'`), the spec node it was emitted for. ONNX node names start with the
 * sanitised id of that node (a composite's sub-nodes with their parent's), so the longest spec
 * node id that is such a prefix is the one.
 */
export function runFailure(e: unknown, backend: string, nodeIds: readonly string[]): TesseraError {
  const message = e instanceof Error ? e.message : String(e);
  const onnxNode = /Name:'([^']*)'/.exec(message)?.[1];
  let nodeId: string | undefined;
  if (onnxNode !== undefined) {
    for (const id of nodeIds) {
      const prefix = sanitize(id);
      const matches = onnxNode === prefix || onnxNode.startsWith(`${prefix}_`);
      if (matches && (nodeId === undefined || prefix.length > sanitize(nodeId).length)) nodeId = id;
    }
  }
  return asRuntimeFailure(e, backend, nodeId);
}
