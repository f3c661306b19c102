export { createBackend, type GpujsBackendOptions, type Variant, variants } from './backend.js';
export type { GpujsCompileOptions } from './compile.js';
export { manifest } from './manifest.js';
export type { KernelRun } from './plan.js';
