import * as tf from '@tensorflow/tfjs';
import { unaryKernel } from './unary.js';

export const tanh = unaryKernel<'tanh'>((x) => tf.tanh(x));
