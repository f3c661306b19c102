// What front-ends need to know about the reference's one variant.
import type { BackendManifest } from '@tessera/spec';

/** What front-ends read of the reference: its one variant, `f64`, in node and the browser. */
export const manifest = {
  name: 'reference',
  variants: [
    // It is the oracle every variant is compared with, so in node conformance and bench do not run
    // it as a column of its own; the browser page keeps its column, which shows that the reference
    // itself runs in that browser.
    { name: 'f64', runsIn: ['node', 'browser'], defaultIn: ['browser'] },
  ],
} as const satisfies BackendManifest;
