// A faster Conv2DBackpropFilter for tfjs's `cpu` backend, and one for `wasm`, which lacks it. tfjs-backend-cpu 4.22 computes the
// filter gradient with TensorBuffer.get(b, r, c, d) in its innermost loop, which costs seconds
// per LeNet batch (measured: 2.5 s for conv1 and 5 s for conv2 at batch 32 on the loaded 2-core
// machine); this is the same loop nest and summation order over flat-index arithmetic, so it gives
// the same float64 sums and the same float32 result. Only channels-last (tfjs's NHWC, what
// backend-tfjs uses) is handled here; anything else goes to tfjs's own kernel.
import * as tf from '@tensorflow/tfjs';

type KernelFunc = tf.KernelConfig['kernelFunc'];
type AnyBackend = tf.KernelBackend & {
  readSync(dataId: object): Float32Array;
  makeTensorInfo(shape: number[], dtype: string, values: Float32Array): tf.TensorInfo;
  makeOutput(
    shape: number[],
    dtype: string,
    memoryOffset?: number,
    values?: Float32Array,
  ): tf.TensorInfo;
};

/** `original`: the kernel to defer to for what is not handled here (none on wasm). */
export function fastConv2dBackpropFilter(
  original?: KernelFunc,
  backendName: 'cpu' | 'wasm' = 'cpu',
): KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args as unknown as {
      inputs: { x: tf.TensorInfo; dy: tf.TensorInfo };
      backend: AnyBackend;
      attrs: {
        strides: [number, number] | number;
        pad: 'valid' | 'same' | number;
        dataFormat: 'NHWC' | 'NCHW';
        dimRoundingMode?: 'floor' | 'round' | 'ceil';
        filterShape: [number, number, number, number];
      };
    };
    const { x, dy } = inputs;
    if (attrs.dataFormat === 'NCHW' || x.dtype !== 'float32' || dy.dtype !== 'float32') {
      if (original === undefined)
        throw new Error('Conv2DBackpropFilter: only NHWC float32 is implemented here');
      return original(args);
    }
    const c = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      attrs.filterShape,
      attrs.strides,
      1,
      attrs.pad,
      attrs.dimRoundingMode,
      false,
      'channelsLast',
    );
    const xv = backend.readSync(x.dataId) as Float32Array;
    const dyv = backend.readSync(dy.dataId) as Float32Array;
    const {
      filterHeight: fh,
      filterWidth: fw,
      inChannels: ci,
      outChannels: co,
      strideHeight: sh,
      strideWidth: sw,
      inHeight,
      inWidth,
      outHeight,
      outWidth,
      batchSize,
    } = c;
    const top = c.padInfo.top;
    const left = c.padInfo.left;
    const out = new Float32Array(fh * fw * ci * co);
    // Strides of x [B, H, W, Ci] and dy [B, OH, OW, Co].
    const xb = inHeight * inWidth * ci;
    const xr = inWidth * ci;
    const yb = outHeight * outWidth * co;
    const yr = outWidth * co;
    for (let wR = 0; wR < fh; ++wR) {
      const yRMin = Math.max(0, Math.ceil((top - wR) / sh));
      const yRMax = Math.min(outHeight, (inHeight + top - wR) / sh);
      for (let wC = 0; wC < fw; ++wC) {
        const yCMin = Math.max(0, Math.ceil((left - wC) / sw));
        const yCMax = Math.min(outWidth, (inWidth + left - wC) / sw);
        for (let d1 = 0; d1 < ci; ++d1) {
          for (let d2 = 0; d2 < co; ++d2) {
            let dot = 0;
            for (let b = 0; b < batchSize; ++b) {
              for (let yR = yRMin; yR < yRMax; ++yR) {
                const xRow = b * xb + (wR + yR * sh - top) * xr + d1;
                const yRow = b * yb + yR * yr + d2;
                for (let yC = yCMin; yC < yCMax; ++yC)
                  dot += xv[xRow + (wC + yC * sw - left) * ci] * dyv[yRow + yC * co];
              }
            }
            out[((wR * fw + wC) * ci + d1) * co + d2] = dot;
          }
        }
      }
    }
    // The two backends name their "new tensor from values" methods differently.
    if (backendName === 'wasm')
      return backend.makeOutput(attrs.filterShape, 'float32', undefined, out);
    return backend.makeTensorInfo(attrs.filterShape, 'float32', out);
  };
}

let installed = false;

/**
 * Replaces the cpu backend's Conv2DBackpropFilter and gives the wasm backend one (tfjs-backend-wasm
 * 4.22 has none, so convolutions cannot train there otherwise); once per process.
 */
export function installFastConvGrad(): void {
  if (installed) return;
  const current = tf.getKernel('Conv2DBackpropFilter', 'cpu');
  if (current === undefined)
    throw new Error('tfjs has no cpu Conv2DBackpropFilter kernel to replace');
  tf.unregisterKernel('Conv2DBackpropFilter', 'cpu');
  tf.registerKernel({
    ...current,
    kernelFunc: fastConv2dBackpropFilter(current.kernelFunc, 'cpu'),
  });
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm') === undefined) {
    tf.registerKernel({
      kernelName: 'Conv2DBackpropFilter',
      backendName: 'wasm',
      kernelFunc: fastConv2dBackpropFilter(undefined, 'wasm'),
    });
  }
  installed = true;
}
