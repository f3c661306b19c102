export { conv2d } from './conv.js';
