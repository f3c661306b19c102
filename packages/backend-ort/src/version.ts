// The producer_version written into every exported model; version.test.ts keeps it equal to
// package.json's version.
/** The package's version, written as producer_version into every exported model. */
export const VERSION = '0.1.0';
