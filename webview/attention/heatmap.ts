/**
 * DOM-free parts of the attention view (unit-tested under Node): what one map shows (a
 * translation's candidate, a what-if, or the validation sample at one evaluation), the points
 * the chart.js matrix draws, axis label thinning, and the JSON export.
 */
import type { EvalSample, Translation } from '../../src/shared/protocol';
import type { AttentionEvaluation, AttentionItem, AttentionRef } from '../../src/shared/attentionProtocol';
import { t } from '../common/l10n';

/** Normalises one row's weights to shares of its maximum (0–1) for colour intensity. */
export function intensities(row: readonly number[]): number[] {
  const max = Math.max(0, ...row.filter(Number.isFinite));
  return row.map(v => (max > 0 && Number.isFinite(v) ? Math.max(0, v) / max : 0));
}

/** The source column with the highest weight of each row (-1 for an empty row). */
export function argmaxes(matrix: readonly (readonly number[])[]): number[] {
  return matrix.map(row => {
    let best = -1;
    row.forEach((v, i) => {
      if (Number.isFinite(v) && (best < 0 || v > row[best])) best = i;
    });
    return best;
  });
}

/** Shows a token visibly even when it is whitespace. */
export function displayToken(token: string): string {
  if (token === '') return '∅';
  if (token === ' ') return '␣';
  return token.replace(/\s/g, c => (c === '\t' ? '⇥' : c === '\n' ? '↵' : '␣'));
}

export function percent(p: number): string {
  if (!Number.isFinite(p)) return '–';
  return `${(p * 100).toFixed(p >= 0.995 || p < 0.1 ? 1 : 0)} %`;
}

/** Everything one heatmap shows. */
export interface MapView {
  /** Stable key of what is shown (the chart is rebuilt only when it changes). */
  key: string;
  ref: AttentionRef;
  title: string;
  source: string;
  sourceTokens: string[];
  output: string;
  tokens: string[];
  probabilities: number[];
  /** [tokens][sourceTokens]; rows may be empty (no attention). */
  attention: number[][];
  reference?: string;
  step?: number;
}

/** The candidate `index` of a translation (the translation itself for 0 or when there are none). */
export function candidateOf(translation: Translation, index: number): Pick<Translation, 'output' | 'tokens' | 'probabilities' | 'attention'> {
  const c = translation.candidates[index];
  if (index === 0 || !c) return translation;
  return c;
}

export function itemView(item: AttentionItem, candidate: number): MapView {
  const t = item.translation;
  const index = t.candidates[candidate] ? candidate : 0;
  const c = candidateOf(t, index);
  return {
    key: `item:${item.id}:${index}`,
    ref: { kind: 'item', itemId: item.id, candidate: index },
    title: item.label,
    source: t.source,
    sourceTokens: t.sourceTokens,
    output: c.output,
    tokens: c.tokens,
    probabilities: c.probabilities,
    attention: c.attention,
  };
}

/**
 * Output tokens of a validation sample. Samples rebuilt from an older metrics.jsonl have only
 * the prediction and its attention: then each character is a token when the counts agree.
 */
export function sampleTokens(sample: EvalSample): string[] {
  if (sample.tokens.length > 0 || sample.attention.length === 0) return sample.tokens;
  const chars = [...sample.output];
  if (chars.length === sample.attention.length) return chars;
  return sample.attention.map((_, i) => `#${i + 1}`);
}

export function evaluationView(evaluation: AttentionEvaluation, runName: string): MapView {
  const s = evaluation.sample;
  const tokens = sampleTokens(s);
  const cols = s.attention.find(row => row.length > 0)?.length ?? 0;
  const sourceTokens = s.sourceTokens.length === cols || cols === 0 ? s.sourceTokens : Array.from({ length: cols }, (_, i) => s.sourceTokens[i] ?? `#${i + 1}`);
  return {
    key: `eval:${evaluation.step}`,
    ref: { kind: 'evaluation', step: evaluation.step },
    title: t('{0}: validation sample at step {1}', runName, evaluation.step),
    source: s.source,
    sourceTokens,
    output: s.output,
    tokens,
    probabilities: tokens.map((_, i) => s.probabilities[i] ?? NaN),
    attention: s.attention,
    reference: s.reference,
    step: evaluation.step,
  };
}

export function hasAttention(view: Pick<MapView, 'attention'>): boolean {
  return view.attention.some(row => row.length > 0);
}

/** One matrix cell for chart.js: column, row, weight. */
export interface MatrixPoint {
  x: number;
  y: number;
  v: number;
}

export function matrixPoints(attention: readonly (readonly number[])[]): MatrixPoint[] {
  const points: MatrixPoint[] = [];
  attention.forEach((row, y) => row.forEach((v, x) => points.push({ x, y, v })));
  return points;
}

/** Which axis positions get a label: all when they fit, else every `step`-th (and the last). */
export function labelledPositions(count: number, pixels: number, minPixelsPerLabel = 14): number[] {
  if (count <= 0) return [];
  const step = Math.max(1, Math.ceil(count / Math.max(1, Math.floor(pixels / minPixelsPerLabel))));
  const positions: number[] = [];
  for (let i = 0; i < count; i += step) positions.push(i);
  if (positions[positions.length - 1] !== count - 1 && count - 1 - positions[positions.length - 1] >= step / 2) positions.push(count - 1);
  return positions;
}

/** A short fingerprint of a map (tests and the live view compare maps by it). */
export function signature(attention: readonly (readonly number[])[]): string {
  let hash = 2166136261;
  for (const row of attention) {
    for (const v of row) {
      hash ^= Math.round(v * 1000);
      hash = Math.imul(hash, 16777619) >>> 0;
    }
    hash = Math.imul(hash ^ 0x9e37, 16777619) >>> 0;
  }
  return hash.toString(16);
}

/** Mean absolute change of the attention rows two maps share (same source), row by row. */
export function rowChanges(before: readonly (readonly number[])[], after: readonly (readonly number[])[]): number[] {
  const rows = Math.min(before.length, after.length);
  const changes: number[] = [];
  for (let i = 0; i < rows; i++) {
    const a = before[i];
    const b = after[i];
    if (a.length === 0 || a.length !== b.length) {
      changes.push(NaN);
      continue;
    }
    changes.push(a.reduce((sum, v, j) => sum + Math.abs(v - b[j]), 0) / a.length);
  }
  return changes;
}

/** The JSON export of the map on screen. */
export function exportJson(view: MapView): string {
  return JSON.stringify(
    {
      format: 'seq2seq-lab.attention',
      version: 1,
      title: view.title,
      ...(view.step !== undefined ? { step: view.step } : {}),
      source: view.source,
      sourceTokens: view.sourceTokens,
      output: view.output,
      tokens: view.tokens,
      probabilities: view.probabilities,
      ...(view.reference !== undefined ? { reference: view.reference } : {}),
      attention: view.attention,
    },
    null,
    2,
  );
}

/** A file name for an export of `view` (letters, digits, dot, dash, underscore only). */
export function exportName(view: MapView, extension: 'png' | 'json'): string {
  const base = (view.step !== undefined ? `attention-step-${view.step}` : `attention-${view.source}`)
    .replace(/[^\w.-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60) || 'attention';
  return `${base}.${extension}`;
}
