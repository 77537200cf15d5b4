/**
 * The exposure-bias remedies of the course notes (seed 001) compared side by side: what makes
 * each run that remedy. Read by the engine's `seq2seq-lab remedies` (src/engine/remedies.ts) and
 * the extension's "Compare Exposure-Bias Remedies" command, so both train the same comparison.
 */
import type { Seq2SeqConfig } from './config';

export type RemedyName = 'teacher-forcing' | 'scheduled-sampling' | 'rl';

export const REMEDY_LABELS: Record<RemedyName, string> = {
  'teacher-forcing': 'teacher forcing',
  'scheduled-sampling': 'scheduled sampling',
  rl: 'RL fine-tuning',
};

/** Bengio et al. 2015's linear decay of teacher forcing, down to half the tokens (over `samplingDecay` steps). */
export const SCHEDULED_SAMPLING_REMEDY = { scheduledSampling: 'linear', samplingDecay: 1000, samplingFloor: 0.5 } as const satisfies Partial<Seq2SeqConfig>;

/** SCST on sentence chrF (smooth for short outputs), a small learning rate, a few epochs; early stopping off. */
export const RL_REMEDY = { objective: 'rl', rlReward: 'chrf', rlSamples: 4, epochs: 4, learningRate: 3e-4, patience: 0 } as const satisfies Partial<Seq2SeqConfig>;

/**
 * The steps over which the scheduled-sampling run reaches its floor when it repeats a trained
 * teacher-forced run: half of that run's steps, so the second half trains at the floor.
 */
export function samplingDecayFor(teacherForcedSteps: number): number {
  return Math.max(1, Math.round(teacherForcedSteps / 2));
}
