// The Web Worker the language-model panel generates in (src/lib/generation.ts says what it does):
// the model compiles and runs here, so the page keeps drawing and answering clicks meanwhile.
import { type FromWorker, generationHost, type ToWorker } from './lib/generation';

const handle = generationHost((message: FromWorker) => self.postMessage(message));
self.addEventListener('message', (e: MessageEvent<ToWorker>) => {
  void handle(e.data);
});
