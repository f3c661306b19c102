// The Web Worker the conformance panel runs the catalogue in (src/lib/conformance-host.ts says
// what it does); the page ends it to cancel.
import { conformanceHost, type FromConformance, type ToConformance } from './lib/conformance-host';

const handle = conformanceHost((message: FromConformance) => self.postMessage(message));
self.addEventListener('message', (e: MessageEvent<ToConformance>) => {
  void handle(e.data);
});
