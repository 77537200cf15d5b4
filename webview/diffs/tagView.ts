/**
 * The pure model of the tag view (tag runs: one label per source token; no DOM): each source
 * token with its predicted tag and, where it differs, the reference tag; a stable colour per tag
 * from the theme's chart palette; the legend; per-sample and overall tag accuracy.
 *
 * Colours: when the run's tags fit the palette, they are dealt out in sorted order (every tag its
 * own colour); beyond that each tag's colour is a hash of its text (so a tag keeps its colour
 * across samples and runs, and the tag text under every token tells equal colours apart).
 */
import type { PredictedSample } from '../../src/shared/protocol';
import type { PaletteColor } from '../common/chartTheme';

/** The chart colours tags take, in order ('foreground' is the text's; red marks the wrong tags, as the matrix's errors). */
export const TAG_PALETTE: readonly PaletteColor[] = ['blue', 'orange', 'green', 'purple', 'yellow'];

/** A tagged sample as the view needs it. */
export interface TaggedSample {
  tokens: readonly string[];
  predicted: readonly string[];
  reference: readonly string[];
}

/** Strings of an untrusted array, each without the tokenizer's word-start marker (▁, U+2581): "▁the" is the word "the". */
const strings = (x: unknown): string[] => (Array.isArray(x) && x.every(s => typeof s === 'string') ? (x as string[]).map(s => s.replace(/^\u2581/, '')) : []);

/** A predicted sample as tokens and tags, checked (a sample without source tokens shows its source split at spaces). */
export function taggedSample(sample: PredictedSample): TaggedSample {
  const tokens = strings(sample.sourceTokens);
  return {
    tokens: tokens.length ? tokens : String(sample.source ?? '').split(/\s+/).filter(Boolean),
    predicted: strings(sample.predictionTokens),
    reference: strings(sample.referenceTokens),
  };
}

export interface TagCell {
  token: string;
  predicted: string;
  /** The reference tag (absent where the reference has fewer tags than the source tokens). */
  reference?: string;
  wrong: boolean;
}

/** Token by token; a missing predicted tag reads '' (and is wrong against a reference). */
export function tagCells(sample: TaggedSample): TagCell[] {
  return sample.tokens.map((token, i) => {
    const predicted = sample.predicted[i] ?? '';
    const reference = sample.reference[i];
    return { token, predicted, ...(reference === undefined ? {} : { reference }), wrong: reference !== undefined && reference !== predicted };
  });
}

export interface TagStats {
  tokens: number;
  correct: number;
  /** correct ÷ tokens with a reference tag (NaN when none has one). */
  accuracy: number;
  allCorrect: boolean;
}

export function tagStats(cells: readonly TagCell[]): TagStats {
  const scored = cells.filter(c => c.reference !== undefined);
  const correct = scored.filter(c => !c.wrong).length;
  return { tokens: scored.length, correct, accuracy: scored.length ? correct / scored.length : NaN, allCorrect: correct === scored.length };
}

/** Tag accuracy over many samples (token-weighted, as the engine's per-token accuracy). */
export function overallTagAccuracy(stats: readonly TagStats[]): number {
  const tokens = stats.reduce((s, x) => s + x.tokens, 0);
  return tokens ? stats.reduce((s, x) => s + x.correct, 0) / tokens : NaN;
}

function hash(text: string): number {
  // FNV-1a, 32 bits: stable across sessions and machines.
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** The colour of every tag of `tags` (see the module comment for the rule). */
export function tagColors(tags: Iterable<string>, palette: readonly PaletteColor[] = TAG_PALETTE): Map<string, PaletteColor> {
  const unique = [...new Set(tags)].sort();
  const colors = new Map<string, PaletteColor>();
  const fits = unique.length <= palette.length;
  unique.forEach((tag, i) => colors.set(tag, palette[fits ? i : hash(tag) % palette.length]));
  return colors;
}

export interface LegendEntry {
  tag: string;
  color: PaletteColor;
  /** Tokens predicted with the tag. */
  count: number;
}

/** Every predicted or reference tag of the samples, most predicted first (ties by name), at most `limit`. */
export function tagLegend(cells: ReadonlyArray<readonly TagCell[]>, colors: ReadonlyMap<string, PaletteColor>, limit = 24): { entries: LegendEntry[]; more: number } {
  const counts = new Map<string, number>();
  for (const row of cells) {
    for (const c of row) {
      counts.set(c.predicted, (counts.get(c.predicted) ?? 0) + 1);
      if (c.reference !== undefined && !counts.has(c.reference)) counts.set(c.reference, 0);
    }
  }
  const entries = [...counts].filter(([tag]) => colors.has(tag))
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([tag, count]) => ({ tag, color: colors.get(tag)!, count }));
  return { entries: entries.slice(0, limit), more: Math.max(0, entries.length - limit) };
}

/** Every tag of the samples (predicted and reference), for `tagColors`. */
export function allTags(samples: readonly TaggedSample[]): string[] {
  const tags = new Set<string>();
  for (const s of samples) {
    for (const t of s.predicted) tags.add(t);
    for (const t of s.reference) tags.add(t);
  }
  return [...tags];
}
