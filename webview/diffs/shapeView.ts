/**
 * Which view the diffs panel gives a run (the SHAPES registry's `view`: diffs, a confusion
 * matrix for classify, tagged tokens for tag) and the host's `run` message checked. DOM-free.
 */
import type { ResolvedShape } from '../../src/shared/config';
import { parseConfusionMatrix, type DiffsRunInfo, type EvaluationConfusion } from '../../src/shared/diffsProtocol';
import { SHAPES, SHAPE_NAMES } from '../../src/shared/shapes';

export type ViewKind = 'diffs' | 'confusion' | 'tags';

/** The view of a shape (diffs for seq2seq, generate and anything unknown). */
export function viewOf(shape: unknown): ViewKind {
  return typeof shape === 'string' && (SHAPE_NAMES as readonly string[]).includes(shape) ? SHAPES[shape as ResolvedShape].view : 'diffs';
}

/** The host's run info, checked: a known shape and the evaluations whose matrix is whole. */
export function parseRunInfo(x: unknown): DiffsRunInfo | undefined {
  const run = x as { shape?: unknown; evaluations?: unknown } | null;
  if (!run || typeof run !== 'object' || !(SHAPE_NAMES as readonly unknown[]).includes(run.shape)) return undefined;
  const evaluations: EvaluationConfusion[] = [];
  for (const e of Array.isArray(run.evaluations) ? run.evaluations : []) {
    if (!e || typeof e !== 'object') continue;
    const confusion = parseConfusionMatrix((e as { confusion?: unknown })?.confusion);
    const { step, split, best } = e as { step?: unknown; split?: unknown; best?: unknown };
    if (confusion.ok && Number.isSafeInteger(step) && (split === 'valid' || split === 'test')) evaluations.push({ step: step as number, split, best: best === true, confusion: confusion.value });
  }
  return { shape: run.shape as ResolvedShape, evaluations };
}

