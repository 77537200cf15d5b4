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
export function decideShape(configured: ShapeType, taskShape: ResolvedShape | undefined, pairs: readonly SentencePair[]): ShapeDecision {
  if (configured !== 'auto') return { shape: configured, auto: false, reason: 'set in the configuration' };
  if (taskShape) return { shape: taskShape, auto: true, reason: `the built-in task's shape` };
  return { shape: 'seq2seq', auto: true, reason: 'a data file trains seq2seq' };
}
