import * as tf from '@tensorflow/tfjs';
import { unaryKernel } from './unary.js';

export const relu = unaryKernel<'relu'>((x) => tf.relu(x));
