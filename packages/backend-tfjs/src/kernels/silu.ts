// silu(x) = x · sigmoid(x); tfjs has no fused kernel for it.
import * as tf from '@tensorflow/tfjs';
import { unaryKernel } from './unary.js';

export const silu = unaryKernel<'silu'>((x) => tf.mul(x, tf.sigmoid(x)));
