/**
 * Learning-rate and teacher-forcing schedules, as pure functions of the step so that a
 * resumed run follows exactly the same curve.
 */
import type { Seq2SeqConfig } from '../../shared/config';

/**
 * Linear warm-up to the peak, then the configured decay. `scale` is the product of the plateau
 * cuts so far (the trainer decides them from validation; 1 for the other decays).
 */
export function learningRateAt(config: Seq2SeqConfig, step: number, epoch: number, scale = 1): number {
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
