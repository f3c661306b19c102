import { binaryOp } from './binary.js';

export const add = binaryOp('add');
