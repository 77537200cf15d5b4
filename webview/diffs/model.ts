/**
 * The pure logic of the diffs panel (no DOM, no TensorFlow): token alignment of a reference and
 * a prediction with jsdiff's `diffArrays`, per-sample scores, the summary line (exact match,
 * token accuracy, character and word error rates, most frequent confusions), sorting and filtering, the comparison of two
 * prediction sets, and the windowing arithmetic of the virtualized list.
 *
 * Alignment: diffArrays gives runs of kept, removed (in the reference only) and added (in the
 * prediction only) tokens. Removed and added tokens between two kept runs are paired left to
 * right as substitutions; what is left over is a deletion (the model left a reference token out)
 * or an insertion (the model added a token).
 */
import { diffArrays } from 'diff';
import { sentenceBleu } from '../../src/shared/scoring/bleu';
import { editDistance, errorRate, tokenAccuracy } from '../../src/shared/scoring/simple';
import { formatMetric, metricLabel, type TargetUnit } from '../../src/shared/metrics';
import type { PredictedSample } from '../../src/shared/protocol';

export type CellKind = 'match' | 'sub' | 'del' | 'ins';

/** One column of an alignment: a reference token over a predicted token (either may be absent). */
export interface AlignedCell {
  kind: CellKind;
  /** The reference (or, when comparing, the first prediction's) token; absent for an insertion. */
  ref?: string;
  /** The predicted (or second prediction's) token; absent for a deletion. */
  pred?: string;
  /** Position of `pred` in the predicted tokens (to look up its probability). */
  predIndex?: number;
}

export function alignTokens(ref: readonly string[], pred: readonly string[]): AlignedCell[] {
  const cells: AlignedCell[] = [];
  let predIndex = 0;
  let removed: string[] = [];
  let added: string[] = [];
  const flush = () => {
    const paired = Math.min(removed.length, added.length);
    for (let i = 0; i < paired; i++) cells.push({ kind: 'sub', ref: removed[i], pred: added[i], predIndex: predIndex++ });
    for (let i = paired; i < removed.length; i++) cells.push({ kind: 'del', ref: removed[i] });
    for (let i = paired; i < added.length; i++) cells.push({ kind: 'ins', pred: added[i], predIndex: predIndex++ });
    removed = [];
    added = [];
  };
  for (const change of diffArrays([...ref], [...pred])) {
    if (change.removed) removed.push(...change.value);
    else if (change.added) added.push(...change.value);
    else {
      flush();
      for (const token of change.value) cells.push({ kind: 'match', ref: token, pred: token, predIndex: predIndex++ });
    }
  }
  flush();
  return cells;
}

/** A confusion: how often the reference token `ref` came out as `pred` ('' = left out / added). */
export interface Confusion {
  ref: string;
  pred: string;
  count: number;
}

/** Substitutions, deletions (pred '') and insertions (ref '') of the alignments, most frequent first. */
export function countConfusions(alignments: ReadonlyArray<readonly AlignedCell[]>, limit = 5): Confusion[] {
  const counts = new Map<string, Confusion>();
  for (const cells of alignments) {
    for (const cell of cells) {
      if (cell.kind === 'match') continue;
      const ref = cell.ref ?? '';
      const pred = cell.pred ?? '';
      const key = `${ref}\u0000${pred}`;
      const known = counts.get(key);
      if (known) known.count++;
      else counts.set(key, { ref, pred, count: 1 });
    }
  }
  return [...counts.values()]
    .sort((a, b) => b.count - a.count || a.ref.localeCompare(b.ref) || a.pred.localeCompare(b.pred))
    .slice(0, limit);
}

/** Tokens as BLEU words: whitespace tokens (characters of a date) must not vanish in the join. */
function bleuWords(tokens: readonly string[]): string {
  return tokens.map(t => (t.trim() === '' ? '␣' : t.replace(/\s+/g, '␣'))).join(' ');
}

/** Sentence BLEU (0–100) of predicted tokens against reference tokens, token by token. */
export function tokenBleu(ref: readonly string[], pred: readonly string[]): number {
  if (pred.length === 0 || ref.length === 0) return ref.length === pred.length ? 100 : 0;
  return Math.min(100, sentenceBleu(bleuWords(pred), [bleuWords(ref)], { tokenize: 'none' }).score);
}

export interface SampleStats {
  index: number;
  cells: AlignedCell[];
  editDistance: number;
  bleu: number;
  /** Character and word error rates of this sample (0–1, may exceed 1), as the engine counts them. */
  cer: number;
  wer: number;
  exact: boolean;
  referenceLength: number;
  /** Every token of reference and prediction, for the token filter. */
  tokens: Set<string>;
}

/** Every accepted reference of a sample, its main one first. */
function acceptedReferences(sample: PredictedSample): string | string[] {
  return sample.alternatives?.length ? [sample.reference, ...sample.alternatives] : sample.reference;
}

export function analyzeSample(sample: PredictedSample): SampleStats {
  const ref = sample.referenceTokens;
  const pred = sample.predictionTokens;
  const distance = editDistance(ref, pred);
  return {
    index: sample.index,
    cells: alignTokens(ref, pred),
    editDistance: distance,
    bleu: tokenBleu(ref, pred),
    cer: errorRate([sample.prediction], [acceptedReferences(sample)], 'char'),
    wer: errorRate([sample.prediction], [acceptedReferences(sample)], 'word'),
    exact: distance === 0 || (sample.alternatives ?? []).includes(sample.prediction),
    referenceLength: ref.length,
    tokens: new Set([...ref, ...pred]),
  };
}

/** A sample's scores as its row shows them: "BLEU 61.0 · CER 8.33 % · WER 50.00 %" (PER for phoneme targets). */
export function sampleScores(stats: Pick<SampleStats, 'bleu' | 'cer' | 'wer'>, unit: TargetUnit = 'word'): string {
  return [`BLEU ${stats.bleu.toFixed(1)}`, ...(['cer', 'wer'] as const).map(key => `${metricLabel(key, unit)} ${formatMetric(key, stats[key])}`)].join(' · ');
}

export interface Summary {
  samples: number;
  /** 0–1 */
  exactMatch: number;
  /** 0–1, position-wise as the engine's metric (src/shared/scoring/simple.ts). */
  tokenAccuracy: number;
  /** Corpus error rates (summed edits ÷ summed reference length), as the engine's metrics. */
  cer: number;
  wer: number;
  confusions: Confusion[];
}

export function summarize(samples: readonly PredictedSample[], stats: readonly SampleStats[]): Summary {
  return {
    samples: samples.length,
    exactMatch: samples.length ? stats.filter(s => s.exact).length / samples.length : 0,
    tokenAccuracy: tokenAccuracy(samples.map(s => s.predictionTokens), samples.map(s => s.referenceTokens)),
    cer: errorRate(samples.map(s => s.prediction), samples.map(acceptedReferences), 'char'),
    wer: errorRate(samples.map(s => s.prediction), samples.map(acceptedReferences), 'word'),
    confusions: countConfusions(stats.map(s => s.cells)),
  };
}

/** How a token is shown: visible marks for whitespace, ∅ for nothing. */
export function displayToken(token: string | undefined): string {
  if (token === undefined || token === '') return '∅';
  if (token === ' ') return '␣';
  return token.replace(/\s/g, '␣');
}

/** Fills `{0}`, `{1}`… (the shape of @vscode/l10n's `t`, which the webview passes to translate). */
export type Translate = (template: string, ...args: Array<string | number>) => string;
const english: Translate = (template, ...args) => template.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)]));

/** The summary line; for phoneme targets (`unit`) the word error rate is the PER. One whole sentence per unit, for translators. */
export function formatSummary(summary: Summary, t: Translate = english, unit: TargetUnit = 'word'): string {
  const confusions = summary.confusions.length
    ? summary.confusions.map(c => `${displayToken(c.ref)} → ${displayToken(c.pred)} (×${c.count})`).join(', ')
    : t('none');
  return t(
    unit === 'phoneme'
      ? '{0} samples · exact match {1} · token accuracy {2} · CER {3} · PER {4} · most frequent confusions: {5}'
      : '{0} samples · exact match {1} · token accuracy {2} · CER {3} · WER {4} · most frequent confusions: {5}',
    summary.samples,
    formatMetric('exactMatch', summary.exactMatch),
    formatMetric('tokenAccuracy', summary.tokenAccuracy),
    formatMetric('cer', summary.cer),
    formatMetric('wer', summary.wer),
    confusions,
  );
}

// ---------------------------------------------------------------------------------------------
// Comparing two prediction sets of the same samples (A = before, B = after).

export type Change = 'improved' | 'regressed' | 'same';

export interface ComparedSample {
  index: number;
  /** Edit distance of A's and B's prediction to the reference. */
  distanceA: number;
  distanceB: number;
  change: Change;
  /** A's prediction over B's: `ref` holds A's token, `pred` B's. */
  between: AlignedCell[];
}

/** Why two prediction sets cannot be compared sample by sample, or undefined when they can. */
export function comparabilityProblem(a: readonly PredictedSample[], b: readonly PredictedSample[]): string | undefined {
  if (a.length !== b.length) return `the two sets have ${a.length} and ${b.length} samples: not the same data split`;
  for (let i = 0; i < a.length; i++) {
    if (a[i].source !== b[i].source || a[i].reference !== b[i].reference) return `sample ${i + 1} differs ("${a[i].source}" vs "${b[i].source}"): not the same data split`;
  }
  return undefined;
}

export function compareSamples(a: readonly PredictedSample[], b: readonly PredictedSample[]): ComparedSample[] {
  return a.map((sampleA, i) => {
    const sampleB = b[i];
    const distanceA = editDistance(sampleA.referenceTokens, sampleA.predictionTokens);
    const distanceB = editDistance(sampleB.referenceTokens, sampleB.predictionTokens);
    const change: Change = distanceB < distanceA ? 'improved' : distanceB > distanceA ? 'regressed' : 'same';
    return { index: sampleA.index, distanceA, distanceB, change, between: alignTokens(sampleA.predictionTokens, sampleB.predictionTokens) };
  });
}

export function countChanges(compared: readonly ComparedSample[]): Record<Change, number> {
  const counts: Record<Change, number> = { improved: 0, regressed: 0, same: 0 };
  for (const c of compared) counts[c.change]++;
  return counts;
}

// ---------------------------------------------------------------------------------------------
// Sorting and filtering.

export type SortKey = 'index' | 'editDistance' | 'bleu' | 'length';
export type ChangeFilter = 'all' | 'improved' | 'regressed' | 'changed';

export interface RowQuery {
  sort: SortKey;
  /** Keep samples whose reference or prediction contains this exact token ('' = any). */
  token: string;
  onlyWrong: boolean;
  /** Comparison only. */
  change: ChangeFilter;
}

export const DEFAULT_QUERY: RowQuery = { sort: 'index', token: '', onlyWrong: false, change: 'all' };

/**
 * Positions (into `stats`) of the rows to show, in order. Worst first for edit distance
 * (largest first) and BLEU (smallest first), longest reference first for length; ties keep the
 * split's order. With `compared`, the change filter applies and `stats` describe prediction B.
 */
export function selectRows(stats: readonly SampleStats[], query: RowQuery, compared?: readonly ComparedSample[]): number[] {
  const token = query.token;
  const rows: number[] = [];
  for (let i = 0; i < stats.length; i++) {
    const s = stats[i];
    if (query.onlyWrong && s.exact) continue;
    if (token !== '' && !s.tokens.has(token)) continue;
    if (compared && query.change !== 'all') {
      const change = compared[i].change;
      if (query.change === 'changed' ? change === 'same' : change !== query.change) continue;
    }
    rows.push(i);
  }
  const key: (i: number) => number = {
    index: (i: number) => stats[i].index,
    editDistance: (i: number) => -stats[i].editDistance,
    bleu: (i: number) => stats[i].bleu,
    length: (i: number) => -stats[i].referenceLength,
  }[query.sort];
  return rows.sort((x, y) => key(x) - key(y) || stats[x].index - stats[y].index);
}

// ---------------------------------------------------------------------------------------------
// Windowing of the virtualized list (fixed row height).

export interface ListWindow {
  /** First row to render (inclusive). */
  first: number;
  /** Last row to render (exclusive). */
  end: number;
  /** Top of row `first`, in px from the top of the list. */
  offset: number;
  /** Height of the whole list, in px. */
  totalHeight: number;
}

/** Rows intersecting [scrollTop, scrollTop + viewport), plus `overscan` rows either side. */
export function visibleWindow(scrollTop: number, viewportHeight: number, rowHeight: number, count: number, overscan = 4): ListWindow {
  const totalHeight = count * rowHeight;
  if (count === 0 || rowHeight <= 0) return { first: 0, end: 0, offset: 0, totalHeight: Math.max(0, totalHeight) };
  const top = Math.max(0, Math.min(scrollTop, Math.max(0, totalHeight - viewportHeight)));
  const firstVisible = Math.floor(top / rowHeight);
  const lastVisible = Math.ceil((top + Math.max(0, viewportHeight)) / rowHeight); // exclusive
  const first = Math.max(0, firstVisible - overscan);
  const end = Math.min(count, Math.max(lastVisible, firstVisible + 1) + overscan);
  return { first, end, offset: first * rowHeight, totalHeight };
}

/** The scrollTop that brings row `row` fully into view, changing the current one as little as possible. */
export function scrollToRow(row: number, scrollTop: number, viewportHeight: number, rowHeight: number): number {
  const top = row * rowHeight;
  const bottom = top + rowHeight;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + viewportHeight) return Math.max(0, bottom - viewportHeight);
  return scrollTop;
}
