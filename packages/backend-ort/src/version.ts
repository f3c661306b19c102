// The producer_version written into every exported model; version.test.ts keeps it equal to
// package.json's version.
export const VERSION = '0.1.0';
