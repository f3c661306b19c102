import { convOp } from './conv.js';

export const conv1d = convOp('conv1d', 1);
