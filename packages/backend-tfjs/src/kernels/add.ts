import * as tf from '@tensorflow/tfjs';
import { binaryKernel } from './binary.js';

export const add = binaryKernel<'add'>((a, b) => tf.add(a, b));
