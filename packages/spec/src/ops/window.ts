// PyTorch's output-size rule for window ops (nn.Conv*, nn.MaxPool*, nn.AvgPool*), the one copy:
//   out = ⌊or⌈(L + padTotal − eff) / stride⌉ + 1, eff = dilation·(k − 1) + 1,
// and with ceilMode the last window must start inside the input or the left padding.
import { type Dim, dimAdd, dimDiv } from '../dims.js';
import { fail } from './common.js';

/** One spatial output size, symbolic when the input size is; fails when the window does not fit. */
export function windowOutput(
  size: number,
  padTotal: number,
  effectiveKernel: number,
  stride: number,
  ceilMode?: boolean,
  padBegin?: number,
): number;
export function windowOutput(
  size: Dim,
  padTotal: number,
  effectiveKernel: number,
  stride: number,
  ceilMode?: boolean,
  padBegin?: number,
): Dim;
export function windowOutput(
  size: Dim,
  padTotal: number,
  effectiveKernel: number,
  stride: number,
  ceilMode = false,
  padBegin = 0,
): Dim {
  if (typeof size === 'number') {
    const span = size + padTotal - effectiveKernel;
    if (span < 0)
      fail(
        `the window (${effectiveKernel}) is larger than the padded input (${size + padTotal})`,
        'kernelSize',
      );
    let out = (ceilMode ? Math.ceil(span / stride) : Math.floor(span / stride)) + 1;
    if (ceilMode && (out - 1) * stride >= size + padBegin) out -= 1;
    return out;
  }
  if (stride === 1) return dimAdd(size, padTotal - effectiveKernel + 1);
  return dimAdd(
    dimDiv(dimAdd(size, padTotal - effectiveKernel), stride, ceilMode ? 'ceil' : 'floor'),
    1,
  );
}
