/**
 * What one validation result means for the run: a new best checkpoint, patience, a plateau cut
 * of the learning rate, early stopping. Pure (state in, decision out) so the rules are tested
 * on sequences worked out by hand; the trainer applies the decision.
 *
 * - Best: any strict improvement of the early-stopping metric (saves the best checkpoint).
 * - Progress: an improvement over the value patience last restarted at — for the loss at least
 *   1 % and at least 0.001 nats per token (Keras' min_delta), since a learned task's loss creeps
 *   down for ever.
 * - Patience and plateau counters only run once the metric has moved from its first value: a
 *   run whose exact match is still 0 is learning, not stuck.
 * - Plateau decay (ReduceLROnPlateau): `plateauPatience` evaluations without progress multiply
 *   the rate by `plateauFactor`; early stopping keeps counting, so patience 6 with plateau
 *   patience 2 gives two cuts a chance before the run stops.
 */
import type { Seq2SeqConfig } from '../../shared/config';
import { isBetter } from '../../shared/metrics';
import type { TrainingState } from './checkpoint';

/** A loss must fall by at least this share, and by at least this much, to count as progress. */
export const MIN_RELATIVE_LOSS_IMPROVEMENT = 0.01;
export const MIN_ABSOLUTE_LOSS_IMPROVEMENT = 0.001;

export type StoppingState = Pick<TrainingState, 'best' | 'evaluationsWithoutImprovement' | 'firstValue' | 'metricMoved' | 'patienceReference' | 'learningRateScale' | 'evaluationsOnPlateau'>;

export interface EvaluationDecision {
  /** The value is the best so far: save the best checkpoint. */
  best: boolean;
  /** The learning rate was cut (the new scale is in the state). */
  learningRateCut: boolean;
  /** Patience is used up. */
  stop: boolean;
}

type Rules = Pick<Seq2SeqConfig, 'earlyStoppingMetric' | 'patience' | 'lrDecay' | 'plateauPatience' | 'plateauFactor'>;

/** Updates `state` (in place) for the validation `value` at `step`; returns what to do. */
export function afterEvaluation(state: StoppingState, rules: Rules, value: number, step: number): EvaluationDecision {
  const metric = rules.earlyStoppingMetric;
  const best = isBetter(metric, value, state.best?.value);
  if (state.firstValue === undefined) state.firstValue = value;
  else if (value !== state.firstValue) state.metricMoved = true;
  const reference = state.patienceReference ?? state.best?.value;
  const progress = reference === undefined || (metric === 'loss' ? value < reference - Math.max(reference * MIN_RELATIVE_LOSS_IMPROVEMENT, MIN_ABSOLUTE_LOSS_IMPROVEMENT) : isBetter(metric, value, reference));
  if (best) state.best = { value, step };
  let learningRateCut = false;
  if (progress) {
    state.evaluationsWithoutImprovement = 0;
    state.evaluationsOnPlateau = 0;
    state.patienceReference = value;
  } else if (state.metricMoved) {
    state.evaluationsWithoutImprovement++;
    state.evaluationsOnPlateau = (state.evaluationsOnPlateau ?? 0) + 1;
    if (rules.lrDecay === 'plateau' && state.evaluationsOnPlateau >= rules.plateauPatience) {
      state.learningRateScale = (state.learningRateScale ?? 1) * rules.plateauFactor;
      state.evaluationsOnPlateau = 0;
      learningRateCut = true;
    }
  }
  return { best, learningRateCut, stop: rules.patience > 0 && state.evaluationsWithoutImprovement >= rules.patience };
}
