import * as tf from '@tensorflow/tfjs';
import { unaryKernel } from './unary.js';

export const sigmoid = unaryKernel<'sigmoid'>((x) => tf.sigmoid(x));
