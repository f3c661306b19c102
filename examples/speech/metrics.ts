// Greedy CTC decoding and the classification metrics of the speech example.

/** Per-frame argmax, repeats collapsed, blanks (class 0) dropped. logits [T, V] row-major. */
export function greedyCtc(
  logits: ArrayLike<number>,
  offset: number,
  frames: number,
  classes: number,
): number[] {
  const out: number[] = [];
  let prev = -1;
  for (let t = 0; t < frames; t++) {
    let best = 0;
    for (let c = 1; c < classes; c++)
      if (logits[offset + t * classes + c] > logits[offset + t * classes + best]) best = c;
    if (best !== prev && best !== 0) out.push(best);
    prev = best;
  }
  return out;
}

export interface ClassReport {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/**
 * Accuracy, per-class precision/recall/F1 and their macro average. `predicted[i]` is a class in
 * [0, classes) or −1 for "no single word recognised", which counts against recall and no class's
 * precision. A class never predicted has precision 0 (and F1 0 unless it also has no support).
 */
export function classification(
  truth: ArrayLike<number>,
  predicted: ArrayLike<number>,
  classes: number,
): { accuracy: number; macroF1: number; perClass: ClassReport[]; rejected: number } {
  const tp = new Array<number>(classes).fill(0);
  const predictedCount = new Array<number>(classes).fill(0);
  const support = new Array<number>(classes).fill(0);
  let correct = 0;
  let rejected = 0;
  for (let i = 0; i < truth.length; i++) {
    support[truth[i]]++;
    if (predicted[i] < 0) rejected++;
    else predictedCount[predicted[i]]++;
    if (predicted[i] === truth[i]) {
      tp[truth[i]]++;
      correct++;
    }
  }
  const perClass = tp.map((t, c) => {
    const precision = predictedCount[c] === 0 ? 0 : t / predictedCount[c];
    const recall = support[c] === 0 ? 0 : t / support[c];
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { precision, recall, f1, support: support[c] };
  });
  return {
    accuracy: correct / truth.length,
    macroF1: perClass.reduce((s, r) => s + r.f1, 0) / classes,
    perClass,
    rejected,
  };
}
