// dispose() while runs are in flight (issue 18): the runs finish with their outputs, then the
// session is released; a run or decoder step called after dispose() is refused with a Tessera
// error. Before, ort:node rejected the runs ("Session already disposed.") and ort:wasm read
// freed memory ("Invalid input name: �8�"). The outputs are judged against the same model's runs
// before dispose, on the same inputs (what the numbers should be is conformance's to judge).
import {
  initWeights,
  llamaLM,
  randomInputs,
  type Tensor,
  TesseraError,
  transformerLM,
} from '@tessera/spec';
import { describe, expect, test } from 'vitest';
import { createBackend } from '../src/index.js';

// Big enough that a run takes a few milliseconds, so that all 8 are still running at dispose().
const spec = transformerLM({ vocabSize: 50, dModel: 64, nhead: 4, numLayers: 2, maxLength: 64 });
const weights = initWeights(spec, 3);
const inputs = Array.from({ length: 8 }, (_, k) =>
  randomInputs(spec, { batch: 2, time: 48 }, 100 + k),
);

describe.each(['node', 'wasm'] as const)('ort:%s', (variant) => {
  test('8 runs in flight at dispose() all resolve with their outputs; a run after it is refused', async () => {
    const backend = await createBackend({ variant });
    const model = await backend.compile(spec, weights);
    const expected: Record<string, Tensor>[] = [];
    for (const x of inputs) expected.push(await model.run(x));

    const running = inputs.map((x) => model.run(x));
    let settled = 0;
    for (const r of running)
      r.then(
        () => settled++,
        () => settled++,
      );
    const disposed = model.dispose();
    // Nothing had finished when dispose() was called (each run's work is still ahead of it).
    expect(settled).toBe(0);
    const results = await Promise.allSettled(running);
    await disposed;
    results.forEach((r, k) => {
      expect(r.status, `run ${k}`).toBe('fulfilled');
      const out = (r as PromiseFulfilledResult<Record<string, Tensor>>).value;
      expect(out.logits.shape).toEqual(expected[k].logits.shape);
      expect(out.logits.data).toEqual(expected[k].logits.data);
    });

    const late = await model.run(inputs[0]).catch((e: unknown) => e);
    expect(late).toBeInstanceOf(TesseraError);
    expect((late as Error).message).toBe(
      `ort:${variant} model "${spec.name}" was disposed; compile it again to run it`,
    );
    await expect(model.decoder!()).rejects.toThrow(/was disposed/);
    // dispose() again is a no-op.
    await model.dispose();
  });

  test('a decoder step in flight at dispose() resolves; a step after it is refused', async () => {
    const llama = llamaLM({
      vocabSize: 40,
      hiddenSize: 64,
      numLayers: 2,
      numHeads: 4,
      numKeyValueHeads: 2,
      intermediateSize: 96,
      maxLength: 64,
    });
    const backend = await createBackend({ variant });
    const model = await backend.compile(llama, initWeights(llama, 5));
    const prompt = randomInputs(llama, { batch: 2, time: 40 }, 7);
    const next = randomInputs(llama, { batch: 2, time: 1 }, 8);

    const quiet = await model.decoder!({ batch: 2 });
    await quiet.step(prompt);
    const expected = await quiet.step(next);
    await quiet.dispose();

    const decoder = await model.decoder!({ batch: 2 });
    await decoder.step(prompt);
    const step = decoder.step(next);
    // createDecoder starts a step one microtask after step() (behind its queue) and refuses a
    // step that has not started at dispose(): let this one start, so it is in ORT's hands.
    for (let k = 0; k < 3; k++) await null;
    // The model's dispose does not reach its decoder's own sessions; the decoder's waits.
    await Promise.all([model.dispose(), decoder.dispose()]);
    const out = await step;
    expect(out.logits.data).toEqual(expected.logits.data);
    await expect(decoder.step(next)).rejects.toThrow(/disposed/);
  });
});
