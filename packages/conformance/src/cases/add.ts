import { binaryVariants } from './binary.js';

export const addCases = binaryVariants('add');
