/**
 * What `shape: auto` trains (seed 002's RNN shapes, shapes.ts): a built-in task's own shape;
 * for a data file, decided from its training pairs, with the reason, as the tokenizers are
 * (profile.ts) — seq2seq unless the data is clearly tagging or classification.
 */
import type { ResolvedShape, ShapeType } from '../../shared/config';
import type { SentencePair } from '../data';

export interface ShapeDecision {
  shape: ResolvedShape;
  /** True when `auto` chose it. */
  auto: boolean;
  reason: string;
}

/**
 * The shape of a run: `configured` unless it is `auto`; then the task's (`taskShape`), or for
 * a file (`taskShape` undefined) what `pairs` look like (detectShape).
 */
export function decideShape(configured: ShapeType, taskShape: ResolvedShape | undefined, pairs: readonly SentencePair[], targetTokenizer = 'auto'): ShapeDecision {
  if (configured !== 'auto') return { shape: configured, auto: false, reason: 'set in the configuration' };
  if (taskShape) return { shape: taskShape, auto: true, reason: `the built-in task's shape` };
  // A chosen target tokenizer says the targets are sequences (classify and tag have no use for one).
  if (targetTokenizer !== 'auto') return { shape: 'seq2seq', auto: true, reason: `targetTokenizer ${targetTokenizer} is set: the targets are sequences` };
  return { ...detectShape(pairs), auto: true };
}

/** Most distinct tags (labels) a file may have to count as tagging (classification). */
export const MAX_DETECTED_TAGS = 200;
export const MAX_DETECTED_LABELS = 100;
/** Each tag (label) must occur this many times on average: a small set relative to the data. */
export const MIN_USES_PER_LABEL = 10;
/** Tagging data's tags are mostly not source tokens (a word-for-word copy or reordering is seq2seq). */
const MAX_TAGS_FROM_SOURCE = 0.5;

const words = (text: string) => text.trim().split(/\s+/).filter(Boolean);
const count = (n: number) => n.toLocaleString('en-US');

/**
 * A data file's shape from its (training) pairs, split on whitespace:
 * - `tag` when every line has as many target tokens as source tokens, some lines have several,
 *   and the targets use a small set of tags (≤ 200, each used ≥ 10 times on average, mostly not
 *   the line's source tokens, case aside);
 * - `classify` when every target is one token from a small set of labels (≤ 100, each on ≥ 10
 *   pairs on average);
 * - else `seq2seq`. Never `generate` (a prompt file looks like seq2seq): set it.
 */
export function detectShape(pairs: readonly SentencePair[]): Omit<ShapeDecision, 'auto'> {
  if (pairs.length === 0) return { shape: 'seq2seq', reason: 'no pairs to look at' };
  let aligned = true;
  let several = false;
  let singleTargets = true;
  let tagTokens = 0;
  let fromSource = 0;
  const tags = new Set<string>();
  const labels = new Set<string>();
  for (const pair of pairs) {
    const source = words(pair.source);
    const target = words(pair.target);
    if (source.length !== target.length) aligned = false;
    if (source.length > 1) several = true;
    if (target.length !== 1) singleTargets = false;
    else labels.add(target[0]);
    if (aligned) {
      const sourceSet = new Set(source.map(w => w.toLowerCase()));
      for (const tag of target) {
        tags.add(tag);
        if (sourceSet.has(tag.toLowerCase())) fromSource++;
      }
      tagTokens += target.length;
    }
  }
  if (aligned && several && tags.size <= MAX_DETECTED_TAGS && tags.size * MIN_USES_PER_LABEL <= tagTokens && fromSource <= MAX_TAGS_FROM_SOURCE * tagTokens) {
    return { shape: 'tag', reason: `every line has as many target as source tokens (${(tagTokens / pairs.length).toFixed(1)} per line), over ${tags.size} distinct tags used ${count(tagTokens)} times` };
  }
  if (singleTargets && labels.size <= MAX_DETECTED_LABELS && labels.size * MIN_USES_PER_LABEL <= pairs.length) {
    return { shape: 'classify', reason: `every target is one token, from ${labels.size} distinct labels over ${count(pairs.length)} pairs` };
  }
  const why = singleTargets
    ? `the targets are single tokens but ${labels.size} distinct ones over ${count(pairs.length)} pairs is no small label set`
    : aligned && several
      ? `the lines are token-aligned but ${tags.size} distinct target tokens over ${count(tagTokens)} (or mostly source tokens) is no small tag set`
      : 'the targets are sequences, not one label per line or per source token';
  return { shape: 'seq2seq', reason: why };
}
