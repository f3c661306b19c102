// x · factor: elementwise, so it keeps its input's layout (see unary.ts).
import * as tf from '@tensorflow/tfjs';
import { unaryKernel } from './unary.js';

export const scale = unaryKernel<'scale'>((x, node) => tf.mul(x, node.factor));
