/**
 * The built-in ablation: one small task (`dates`), one base model, and the variants that
 * reproduce the seeds' claims as one comparison — the recurrent cell (LSTM vs GRU vs plain RNN),
 * how the encoder reads the source (unidirectional vs bidirectional vs reversed, Sutskever et
 * al. 2014), and attention (additive, Bahdanau 2015; dot and general, Luong 2015; none).
 *
 * The base run is the LSTM / unidirectional / additive member of all three groups, so the plan
 * has 8 runs, each differing from the base in one setting. Pure (no vscode): unit-tested.
 */
import type { Seq2SeqConfig } from './config';

export type AblationSize = 'tiny' | 'small';

export interface AblationVariant {
  /** Short id, also the run folder's label (`ablation-<id>`). */
  id: string;
  /** What this variant changes from the base. */
  groups: Array<'cell' | 'direction' | 'attention'>;
  /** The settings it changes from the base. */
  change: Partial<Seq2SeqConfig>;
}

/** The model every variant starts from. Fixed seed: every run sees the same split and batches. */
const BASE_MODEL: Partial<Seq2SeqConfig> = {
  cell: 'lstm', bidirectional: false, reverseSource: false, attention: 'additive', inputFeeding: false,
  encoderLayers: 1, decoderLayers: 1, dropout: 0, seed: 1, patience: 0, targetExactMatch: 0, maxMinutes: 0,
};

/** Sizes: `small` takes a few minutes on two cores; `tiny` seconds (a smoke test of the pipeline). */
export const ABLATION_SIZES: Record<AblationSize, Partial<Seq2SeqConfig>> = {
  small: { taskSize: 4000, epochs: 4, embeddingSize: 32, hiddenSize: 64, batchSize: 64, learningRate: 0.01, evalEverySteps: 40, evalSamples: 200, validFraction: 0.05, testFraction: 0.05 },
  tiny: { taskSize: 300, epochs: 1, embeddingSize: 8, hiddenSize: 12, batchSize: 32, evalEverySteps: 3, evalSamples: 0, validFraction: 0.1, testFraction: 0.1 },
};

export const ABLATION_TASK = 'dates';

export const ABLATION_VARIANTS: readonly AblationVariant[] = [
  { id: 'lstm-uni-additive', groups: ['cell', 'direction', 'attention'], change: {} },
  { id: 'gru', groups: ['cell'], change: { cell: 'gru' } },
  { id: 'rnn', groups: ['cell'], change: { cell: 'rnn' } },
  { id: 'bidirectional', groups: ['direction'], change: { bidirectional: true } },
  { id: 'reversed', groups: ['direction'], change: { reverseSource: true } },
  { id: 'dot', groups: ['attention'], change: { attention: 'dot' } },
  { id: 'general', groups: ['attention'], change: { attention: 'general' } },
  { id: 'no-attention', groups: ['attention'], change: { attention: 'none' } },
];

/** The runs of an ablation: label and full settings (base, size, change). */
export function ablationPlan(size: AblationSize): Array<{ id: string; label: string; config: Partial<Seq2SeqConfig> }> {
  return ABLATION_VARIANTS.map(v => ({ id: v.id, label: `ablation-${v.id}`, config: { ...BASE_MODEL, ...ABLATION_SIZES[size], ...v.change } }));
}
