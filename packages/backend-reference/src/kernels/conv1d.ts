export { conv1d } from './conv.js';
