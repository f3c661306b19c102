import { convOp } from './conv.js';

export const conv2d = convOp('conv2d', 2);
