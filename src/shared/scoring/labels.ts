/**
 * Label metrics for classify and tag (seed 002's many-to-one and aligned many-to-many
 * shapes): macro-F1 and the confusion matrix over (reference, predicted) label pairs. For tag
 * the pairs are every token's; for classify every output's.
 */
import type { ConfusionMatrix } from '../protocol';

function checkSameLength(metric: string, a: readonly unknown[], b: readonly unknown[]): void {
  if (a.length !== b.length) throw new Error(`${metric}: ${a.length} predictions but ${b.length} references`);
}

/**
 * Macro-F1, 0–1: for each label that occurs in the references, F1 = 2·TP / (2·TP + FP + FN),
 * averaged with equal weight. A predicted label that never occurs in the references is not
 * averaged in (as scikit-learn's f1_score with `labels=` the reference labels); predicting it
 * still costs the reference label's recall. An empty corpus scores 0.
 */
export function macroF1(predicted: readonly string[], references: readonly string[]): number {
  checkSameLength('macroF1', predicted, references);
  const truePositives = new Map<string, number>();
  const predictedCount = new Map<string, number>();
  const referenceCount = new Map<string, number>();
  predicted.forEach((p, i) => {
    const r = references[i];
    predictedCount.set(p, (predictedCount.get(p) ?? 0) + 1);
    referenceCount.set(r, (referenceCount.get(r) ?? 0) + 1);
    if (p === r) truePositives.set(r, (truePositives.get(r) ?? 0) + 1);
  });
  if (referenceCount.size === 0) return 0;
  let sum = 0;
  for (const [label, refs] of referenceCount) {
    const tp = truePositives.get(label) ?? 0;
    const denominator = refs + (predictedCount.get(label) ?? 0); // 2·TP + FP + FN
    sum += denominator > 0 ? (2 * tp) / denominator : 0;
  }
  return sum / referenceCount.size;
}

/** A label written as a decimal number. */
const NUMBER = /^-?\d+(?:\.\d+)?$/;

/**
 * The confusion matrix of (reference, predicted) pairs: rows are reference labels, columns
 * predicted ones; labels sorted by reference count (most frequent first), then predicted-only
 * labels, ties by name — except labels that are all numbers (syllable counts, ratings), which
 * read best in numeric order, so a near-miss sits next to the diagonal. With more than
 * `maxLabels` labels, the rarest are merged into one "(other)" label (last) so the matrix
 * stays readable.
 */
export function confusionMatrix(predicted: readonly string[], references: readonly string[], maxLabels = 50): ConfusionMatrix {
  checkSameLength('confusionMatrix', predicted, references);
  const referenceCount = new Map<string, number>();
  for (const r of references) referenceCount.set(r, (referenceCount.get(r) ?? 0) + 1);
  for (const p of predicted) if (!referenceCount.has(p)) referenceCount.set(p, 0);
  let labels = [...referenceCount.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([label]) => label);
  const other = '(other)';
  const kept = labels.length > maxLabels ? labels.slice(0, maxLabels - 1) : labels;
  if (kept.every(label => NUMBER.test(label))) kept.sort((a, b) => Number(a) - Number(b));
  if (labels.length > maxLabels) labels = [...kept, other];
  const index = new Map(labels.map((label, i) => [label, i]));
  const at = (label: string) => index.get(label) ?? index.get(other)!;
  const counts = labels.map(() => labels.map(() => 0));
  predicted.forEach((p, i) => { counts[at(references[i])][at(p)]++; });
  return { labels, counts };
}
