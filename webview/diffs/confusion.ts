/**
 * The pure model of the confusion-matrix view (classify runs; no DOM): the matrix read from
 * untrusted data (an evaluation the host forwards), per-class precision, recall and F1,
 * macro-F1, the shade of each cell, and which predicted samples fall in a cell.
 *
 * Rows are the reference labels, columns the predicted ones (the engine's convention): row r,
 * column c counts the samples whose reference is labels[r] predicted as labels[c]. Precision of a
 * class is its diagonal ÷ its column sum, recall its diagonal ÷ its row sum; a class with nothing
 * predicted (or no reference) scores 0 there, as scikit-learn's `zero_division=0`. Macro-F1 is
 * the engine's (src/shared/scoring/labels.ts): the plain mean of the F1 of the labels that occur
 * in the references (a label only ever predicted is not averaged in).
 */
import type { ConfusionMatrix, PredictedSample } from '../../src/shared/protocol';
import { confusionMatrix } from '../../src/shared/scoring/labels';
import { parseConfusionMatrix } from '../../src/shared/diffsProtocol';

export type { ConfusionMatrix };

/** A matrix from untrusted data (the host's message), or undefined (the protocol's validator). */
export function parseConfusion(x: unknown): ConfusionMatrix | undefined {
  const parsed = parseConfusionMatrix(x);
  return parsed.ok ? parsed.value : undefined;
}

export interface ClassScores {
  label: string;
  /** Reference samples of the class (its row sum). */
  support: number;
  /** Samples predicted as the class (its column sum). */
  predicted: number;
  correct: number;
  precision: number;
  recall: number;
  f1: number;
}

export function classScores(m: ConfusionMatrix): ClassScores[] {
  return m.labels.map((label, i) => {
    const support = m.counts[i].reduce((s, c) => s + c, 0);
    const predicted = m.counts.reduce((s, row) => s + row[i], 0);
    const correct = m.counts[i][i];
    const precision = predicted ? correct / predicted : 0;
    const recall = support ? correct / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    return { label, support, predicted, correct, precision, recall, f1 };
  });
}

export interface MatrixSummary {
  total: number;
  /** Diagonal ÷ total (0 for an empty matrix). */
  accuracy: number;
  /** Mean of the per-class F1 over the labels with reference samples (NaN for an empty matrix). */
  macroF1: number;
  /** Largest cell (for the shading). */
  max: number;
  classes: ClassScores[];
}

export function summarizeMatrix(m: ConfusionMatrix): MatrixSummary {
  const classes = classScores(m);
  const total = classes.reduce((s, c) => s + c.support, 0);
  const correct = classes.reduce((s, c) => s + c.correct, 0);
  const referenced = classes.filter(c => c.support > 0);
  return {
    total,
    accuracy: total ? correct / total : NaN,
    macroF1: referenced.length ? referenced.reduce((s, c) => s + c.f1, 0) / referenced.length : NaN,
    max: Math.max(0, ...m.counts.flat()),
    classes,
  };
}

/**
 * A cell's shade, 0–1: its count over the largest count, on a square-root scale so that the
 * few errors next to a full diagonal still show; 0 only for an empty cell.
 */
export function cellShade(count: number, max: number): number {
  if (count <= 0 || max <= 0) return 0;
  return Math.max(0.08, Math.sqrt(count / max));
}

/** The matrix of a set of classify predictions (reference and prediction are labels), as the engine builds it. */
export function confusionOf(samples: readonly Pick<PredictedSample, 'reference' | 'prediction'>[]): ConfusionMatrix {
  return confusionMatrix(samples.map(s => s.prediction), samples.map(s => s.reference));
}

/** The label the engine merges the rarest labels into when a matrix has too many. */
export const OTHER_LABEL = '(other)';

/**
 * Positions in `samples` of the samples of cell (reference `ref`, predicted `pred`) of matrix
 * `m`; the "(other)" label of a merged matrix stands for every label not in it.
 */
export function cellExamples(samples: readonly Pick<PredictedSample, 'reference' | 'prediction'>[], m: ConfusionMatrix, ref: string, pred: string): number[] {
  const known = new Set(m.labels);
  const merged = known.has(OTHER_LABEL);
  const labelOf = (label: string) => (known.has(label) || !merged ? label : OTHER_LABEL);
  const out: number[] = [];
  samples.forEach((s, i) => {
    if (labelOf(s.reference) === ref && labelOf(s.prediction) === pred) out.push(i);
  });
  return out;
}

/** The most frequent errors (off-diagonal cells), largest first, ties in label order. */
export function topConfusions(m: ConfusionMatrix, limit = 3): Array<{ ref: string; pred: string; count: number }> {
  const cells: Array<{ ref: string; pred: string; count: number; r: number; c: number }> = [];
  m.counts.forEach((row, r) => row.forEach((count, c) => {
    if (r !== c && count > 0) cells.push({ ref: m.labels[r], pred: m.labels[c], count, r, c });
  }));
  return cells.sort((a, b) => b.count - a.count || a.r - b.r || a.c - b.c).slice(0, limit).map(({ ref, pred, count }) => ({ ref, pred, count }));
}

/** One sample the two checkpoints label differently. */
export interface Disagreement {
  index: number;
  source: string;
  reference: string;
  a: string;
  b: string;
  /** Which of the two is right (both: two accepted references; neither: both wrong, differently). */
  right: 'a' | 'b' | 'both' | 'neither';
}

export interface Agreement {
  /** Samples in both sets (matched by their position in the split). */
  total: number;
  bothRight: number;
  onlyA: number;
  onlyB: number;
  bothWrong: number;
  /** Samples whose two labels differ, in split order. */
  disagreements: Disagreement[];
}

/**
 * How two checkpoints' classify predictions of the same split agree, sample by sample (matched
 * by `index`; a sample only one set has is left out): right in both, in only one, in neither,
 * and the samples they label differently. A sample with several accepted references is right
 * when its prediction is any of them.
 */
export function classifyAgreement(a: readonly PredictedSample[], b: readonly PredictedSample[]): Agreement {
  const byIndex = new Map(b.map(s => [s.index, s]));
  const out: Agreement = { total: 0, bothRight: 0, onlyA: 0, onlyB: 0, bothWrong: 0, disagreements: [] };
  const isRight = (s: PredictedSample) => s.prediction === s.reference || (s.alternatives ?? []).includes(s.prediction);
  for (const sa of a) {
    const sb = byIndex.get(sa.index);
    if (!sb) continue;
    out.total++;
    const ra = isRight(sa);
    const rb = isRight(sb);
    if (ra && rb) out.bothRight++;
    else if (ra) out.onlyA++;
    else if (rb) out.onlyB++;
    else out.bothWrong++;
    if (sa.prediction !== sb.prediction) out.disagreements.push({ index: sa.index, source: sa.source, reference: sa.reference, a: sa.prediction, b: sb.prediction, right: ra && rb ? 'both' : ra ? 'a' : rb ? 'b' : 'neither' });
  }
  return out;
}
