// The safetensors format: 8-byte little-endian header length, a JSON header mapping each name to
// { dtype, shape, data_offsets: [begin, end] } (plus an optional `__metadata__` of strings), then
// the raw little-endian data. Written by hand because no maintained npm package reads and writes
// it without pulling in a framework; the format is small and fully checked here.
import { WeightError } from './errors.js';
import { numel, type Tensor, type TensorMap } from './tensor.js';

const itemSize: Record<string, number> = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4 };
const MAX_HEADER = 100 * 1024 * 1024;
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A read safetensors file: its tensors by name, and its `__metadata__` strings. */
export interface SafetensorsFile {
  tensors: Map<string, Tensor>;
  metadata: Record<string, string>;
}

/** Named tensors (a Map, or a plain object such as a model's outputs) → a .safetensors file's bytes. */
export function writeSafetensors(named: TensorMap, metadata?: Record<string, string>): Uint8Array {
  const tensors = named instanceof Map ? named : new Map(Object.entries(named));
  const header: Record<string, unknown> = {};
  if (metadata !== undefined && Object.keys(metadata).length > 0)
    header.__metadata__ = { ...metadata };
  let offset = 0;
  for (const [name, t] of tensors) {
    if (name === '__metadata__') throw new WeightError('is a reserved name in safetensors', name);
    const bytes = t.data.length * 4;
    if (t.data.length !== numel(t.shape)) {
      throw new WeightError(
        `holds ${t.data.length} values but its shape [${t.shape.join(', ')}] needs ${numel(t.shape)}`,
        name,
      );
    }
    Object.defineProperty(header, name, {
      value: {
        dtype: t.dtype === 'float32' ? 'F32' : 'I32',
        shape: t.shape,
        data_offsets: [offset, offset + bytes],
      },
      enumerable: true,
      writable: true,
      configurable: true,
    });
    offset += bytes;
  }
  let json = JSON.stringify(header);
  // Pad the header with spaces so the data starts 8-byte aligned, as the reference writer does.
  const encoder = new TextEncoder();
  let headerBytes = encoder.encode(json);
  const pad = (8 - (headerBytes.length % 8)) % 8;
  if (pad > 0) {
    json += ' '.repeat(pad);
    headerBytes = encoder.encode(json);
  }
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const t of tensors.values()) {
    const src = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    if (littleEndian) out.set(src, at);
    else {
      const dv = new DataView(out.buffer, at);
      t.data.forEach((v, i) => {
        if (t.dtype === 'float32') dv.setFloat32(i * 4, v, true);
        else dv.setInt32(i * 4, v, true);
      });
    }
    at += src.length;
  }
  return out;
}

function f16ToF32(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f === 0 ? s * Number.POSITIVE_INFINITY : Number.NaN;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

/**
 * Reads a safetensors file. F32 and I32 load as they are; F64, F16 and BF16 are converted to
 * float32 and I64 to int32 (an error if a value does not fit). Any truncation or inconsistency is
 * a WeightError naming the tensor.
 */
export function readSafetensors(bytes: Uint8Array): SafetensorsFile {
  if (bytes.length < 8)
    throw new WeightError(
      `the file is ${bytes.length} bytes, shorter than the 8-byte header length`,
      '(file)',
    );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getBigUint64(0, true);
  if (headerLength > BigInt(Math.min(MAX_HEADER, bytes.length - 8))) {
    throw new WeightError(
      `the header claims ${headerLength} bytes but the file has ${bytes.length - 8} after the length field`,
      '(header)',
    );
  }
  const n = Number(headerLength);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch (e) {
    throw new WeightError(
      `the header is not valid UTF-8 JSON: ${(e as Error).message}`,
      '(header)',
    );
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) {
    throw new WeightError('the header is not a JSON object', '(header)');
  }
  const data = bytes.subarray(8 + n);
  const tensors = new Map<string, Tensor>();
  const metadata: Record<string, string> = {};
  const spans: [number, number, string][] = [];
  for (const [name, entry] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (entry === null || typeof entry !== 'object')
        throw new WeightError('must be an object of strings', '__metadata__');
      for (const [k, v] of Object.entries(entry)) {
        if (typeof v !== 'string')
          throw new WeightError(`value of ${JSON.stringify(k)} is not a string`, '__metadata__');
        Object.defineProperty(metadata, k, {
          value: v,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      continue;
    }
    const e = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (e === null || typeof e !== 'object')
      throw new WeightError('header entry is not an object', name);
    if (typeof e.dtype !== 'string' || !Object.hasOwn(itemSize, e.dtype)) {
      throw new WeightError(
        `has unsupported dtype ${JSON.stringify(e.dtype)} (supported: ${Object.keys(itemSize).join(', ')})`,
        name,
      );
    }
    if (!Array.isArray(e.shape) || e.shape.some((d) => !Number.isSafeInteger(d) || d < 0)) {
      throw new WeightError('has an invalid shape in the header', name);
    }
    const offsets = e.data_offsets;
    if (
      !Array.isArray(offsets) ||
      offsets.length !== 2 ||
      !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) ||
      offsets[0] > offsets[1]
    ) {
      throw new WeightError('has invalid data_offsets in the header', name);
    }
    const [begin, end] = offsets as [number, number];
    const shape = e.shape as number[];
    const size = itemSize[e.dtype];
    if (end - begin !== numel(shape) * size) {
      throw new WeightError(
        `has ${end - begin} bytes of data but ${e.dtype} [${shape.join(', ')}] needs ${numel(shape) * size}`,
        name,
      );
    }
    if (end > data.length) {
      throw new WeightError(
        `its data ends at byte ${end} but the file holds ${data.length} bytes of data (truncated?)`,
        name,
      );
    }
    spans.push([begin, end, name]);
    const raw = new DataView(data.buffer, data.byteOffset + begin, end - begin);
    const count = numel(shape);
    let tensor: Tensor;
    if (e.dtype === 'I32' || e.dtype === 'I64') {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) {
        if (e.dtype === 'I32') out[i] = raw.getInt32(i * 4, true);
        else {
          const v = raw.getBigInt64(i * 8, true);
          if (v > 2147483647n || v < -2147483648n)
            throw new WeightError(`value ${v} at index ${i} does not fit int32`, name);
          out[i] = Number(v);
        }
      }
      tensor = { dtype: 'int32', shape: [...shape], data: out };
    } else {
      let out: Float32Array;
      if (e.dtype === 'F32' && littleEndian && (data.byteOffset + begin) % 4 === 0) {
        out = new Float32Array(data.buffer.slice(data.byteOffset + begin, data.byteOffset + end));
      } else {
        out = new Float32Array(count);
        for (let i = 0; i < count; i++) {
          if (e.dtype === 'F32') out[i] = raw.getFloat32(i * 4, true);
          else if (e.dtype === 'F64') out[i] = raw.getFloat64(i * 8, true);
          else if (e.dtype === 'F16') out[i] = f16ToF32(raw.getUint16(i * 2, true));
          else {
            const b = new DataView(new ArrayBuffer(4));
            b.setUint32(0, raw.getUint16(i * 2, true) << 16);
            out[i] = b.getFloat32(0);
          }
        }
      }
      tensor = { dtype: 'float32', shape: [...shape], data: out };
    }
    tensors.set(name, tensor);
  }
  // The data section must be covered exactly, without overlaps or holes.
  spans.sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  let cursor = 0;
  for (const [begin, end, name] of spans) {
    if (begin !== cursor) {
      throw new WeightError(
        begin < cursor
          ? "overlaps the previous tensor's data"
          : `leaves a hole of ${begin - cursor} bytes before its data`,
        name,
      );
    }
    cursor = end;
  }
  if (cursor !== data.length) {
    throw new WeightError(
      `the data section has ${data.length} bytes but the tensors cover ${cursor}`,
      '(file)',
    );
  }
  return { tensors, metadata };
}
