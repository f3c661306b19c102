// decodeModel as the main entry exports it: onnx-proto's ModelProto narrowed to a type of this
// package's own, so that the public declarations never name onnx-proto's types (an internal
// dependency whose declarations need protobufjs's global `Long`, which a user's project lacks).
import { decodeModel as decodeProto } from './graph-builder.js';

/** A node of a decoded ONNX graph. */
export interface OnnxNodeView {
  opType?: string | null;
  domain?: string | null;
  name?: string | null;
  input?: string[] | null;
  output?: string[] | null;
}

/**
 * An ONNX model as `decodeModel` gives it: the fields tools read. 64-bit integers (versions,
 * dims) are onnx-proto's `number | Long`, typed `unknown` here: read them with `Number(...)`.
 */
export interface OnnxModelView {
  irVersion: unknown;
  producerName: string;
  opsetImport: { domain?: string | null; version?: unknown }[];
  metadataProps: { key?: string | null; value?: string | null }[];
  graph?: {
    name?: string | null;
    node?: OnnxNodeView[] | null;
    initializer?:
      | { name?: string | null; dims?: unknown[] | null; dataType?: number | null }[]
      | null;
    input?: { name?: string | null }[] | null;
    output?: { name?: string | null }[] | null;
  } | null;
}

/** Decodes ONNX bytes (what `toOnnx` writes) for tests and tools. */
export const decodeModel: (bytes: Uint8Array) => OnnxModelView = decodeProto;
