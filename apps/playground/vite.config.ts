import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources (the `@tessera/source` condition), so
// the playground always shows what the repository holds without building the packages first.
const conditions = ['@tessera/source', 'browser', 'module', 'import', 'default'];

export default defineConfig({
  plugins: [react()],
  base: './',
  resolve: { conditions },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
  build: { target: 'es2022', chunkSizeWarningLimit: 8000 },
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'e2e/**/*.test.ts'],
    environment: 'happy-dom',
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
