/**
 * Learning-rate and teacher-forcing schedules, as pure functions of the step so that a
 * resumed run follows exactly the same curve.
 */
import type { Seq2SeqConfig } from '../../shared/config';

/**
 * Linear warm-up to the peak, then the configured decay, times the anneal to the budget.
 * `scale` is the product of the plateau cuts so far (the trainer decides them from validation;
 * 1 for the other decays); `budgetUsed` is the share of the run's budget spent (0–1, see
 * `budgetUsed`).
 */
export function learningRateAt(config: Seq2SeqConfig, step: number, epoch: number, scale = 1, budgetUsed = 0): number {
  return decayedRate(config, step, epoch, scale) * annealFactor(config.annealFraction, budgetUsed);
}

/**
 * Warm-up–stable–decay's last part: 1 until the last `fraction` of the budget, then linearly
 * down to 0 at its end. Budgeted training (Li, Yumer & Ramanan, ICLR 2020) found a rate that
 * reaches 0 exactly when the budget ends beats schedules that ignore the budget.
 */
export function annealFactor(fraction: number, budgetUsed: number): number {
  if (!(fraction > 0)) return 1;
  return Math.min(1, Math.max(0, (1 - budgetUsed) / fraction));
}

/**
 * The share of the run's budget spent: the larger of time (when there is a time limit) and
 * steps (when the epochs were set, not chosen by `auto` as an upper bound for early
 * stopping); 0 when the run has neither budget.
 */
export function budgetUsed(budget: { maxSeconds?: number; totalSteps?: number }, elapsedSeconds: number, step: number): number {
  const byTime = budget.maxSeconds && budget.maxSeconds > 0 ? elapsedSeconds / budget.maxSeconds : 0;
  const bySteps = budget.totalSteps && budget.totalSteps > 0 ? step / budget.totalSteps : 0;
  return Math.min(1, Math.max(byTime, bySteps));
}

function decayedRate(config: Seq2SeqConfig, step: number, epoch: number, scale: number): number {
  const peak = config.learningRate * scale;
  const warmup = config.warmupSteps;
  if (warmup > 0 && step < warmup) return (peak * (step + 1)) / warmup;
  switch (config.lrDecay) {
    case 'none':
    case 'plateau': return peak;
    case 'exponential': return peak * config.lrDecayRate ** epoch;
    case 'inverse-sqrt': return peak * Math.sqrt(Math.max(warmup, 1) / Math.max(step + 1, warmup, 1));
  }
}

/**
 * Probability of feeding the reference token at `step` (Bengio et al. 2015, §2.4):
 * linear ε = max(floor, 1 − (1 − floor)·step/decay); exponential ε = max(floor, decayᵗ);
 * inverse sigmoid ε = max(floor, k / (k + exp(step/k))). Without a schedule: teacherForcing.
 */
export function teacherForcingAt(config: Seq2SeqConfig, step: number): number {
  const floor = config.samplingFloor;
  const k = config.samplingDecay;
  switch (config.scheduledSampling) {
    case 'none': return config.teacherForcing;
    case 'linear': return Math.max(floor, 1 - ((1 - floor) * step) / k);
    case 'exponential': return Math.max(floor, k ** step);
    case 'inverse-sigmoid': return Math.max(floor, k / (k + Math.exp(step / k)));
  }
}
