/**
 * Which settings of the Train Model form a run's shape leaves unused, and why (DOM-free, so it is
 * unit-tested under Node). The shapes registry says which settings each shape ignores
 * (SHAPES[shape].ignored: a classify or tag model has no decoder, generate has no source
 * encoder, only classify pools); the form disables those fields with a tooltip saying why.
 * `shape: auto` on a built-in task is that task's shape; on a file, what the file's dataset card
 * says it decided (nothing is disabled before the card comes).
 */
import type { ResolvedShape } from '../../src/shared/config';
import { SHAPES, SHAPE_NAMES } from '../../src/shared/shapes';

/** English; the form shows them through t() (the l10n test checks their translations). */
export const SHAPE_FIELD_REASONS: Readonly<Record<ResolvedShape, string>> = {
  seq2seq: 'Not used by the seq2seq shape: only classify pools the encoder outputs into one vector.',
  classify: 'Not used by the classify shape: it has no decoder (the pooled encoder states give one label).',
  tag: 'Not used by the tag shape: it has no decoder (each source token\'s encoder output gets its tag, and tags are split at spaces).',
  generate: 'Not used by the generate shape: it has no source encoder (the prompt\'s mean embedding starts the decoder).',
};

/** The shape a run from the form trains: the field's, or for `auto` the chosen task's or file's (undefined: not known yet). */
export function effectiveShape(shape: unknown, taskShape: ResolvedShape | undefined): ResolvedShape | undefined {
  if (typeof shape === 'string' && (SHAPE_NAMES as readonly string[]).includes(shape)) return shape as ResolvedShape;
  return shape === 'auto' ? taskShape : undefined;
}

/**
 * key → why it is unused, for the settings `shape` ignores. A field whose value is invalid
 * (`errors`) is left out: it stays enabled so that it can be fixed.
 */
export function unusedFields(shape: ResolvedShape | undefined, errors: ReadonlyMap<string, string> = new Map()): Map<string, string> {
  if (!shape) return new Map();
  return new Map(SHAPES[shape].ignored.filter(key => !errors.has(key)).map(key => [key as string, SHAPE_FIELD_REASONS[shape]]));
}
