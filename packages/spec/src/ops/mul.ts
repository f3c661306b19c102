import { binaryOp } from './binary.js';

export const mul = binaryOp('mul');
