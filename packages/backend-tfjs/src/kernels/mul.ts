import * as tf from '@tensorflow/tfjs';
import { binaryKernel } from './binary.js';

export const mul = binaryKernel<'mul'>((a, b) => tf.mul(a, b));
