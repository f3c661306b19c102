import { binaryVariants } from './binary.js';

export const mulCases = binaryVariants('mul');
