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
import { meanStd } from './sweep';

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

/** Seeds per variant the Run Ablation command proposes: one run per variant cannot tell an ordering from chance. */
export const DEFAULT_ABLATION_SEEDS = 3;

/**
 * The runs of an ablation: label and full settings (base, size, change), each variant with
 * `seeds` seeds (1, 2, …; every variant sees the same seeds, so seed k of two variants shares
 * its split and initialisation stream).
 */
export function ablationPlan(size: AblationSize, seeds = 1): Array<{ id: string; label: string; seed: number; config: Partial<Seq2SeqConfig> }> {
  return ABLATION_VARIANTS.flatMap(v => Array.from({ length: seeds }, (_, i) => ({
    id: v.id,
    label: seeds > 1 ? `ablation-${v.id}-s${i + 1}` : `ablation-${v.id}`,
    seed: i + 1,
    config: { ...BASE_MODEL, ...ABLATION_SIZES[size], ...v.change, seed: i + 1 },
  })));
}

/** One variant's test exact match over its seeds. */
export interface AblationVariantSummary {
  id: string;
  groups: AblationVariant['groups'];
  values: number[];
  mean?: number;
  std?: number;
}

/** Per variant: its seeds' test exact match, mean ± std (sample std), in the variants' order. */
export function summarizeAblation(results: ReadonlyArray<{ id: string; exactMatch: number }>): AblationVariantSummary[] {
  return ABLATION_VARIANTS.map(v => {
    const values = results.filter(r => r.id === v.id).map(r => r.exactMatch);
    const stats = meanStd(values);
    return { id: v.id, groups: v.groups, values, mean: stats?.mean, std: stats?.std };
  }).filter(v => v.values.length > 0);
}

/**
 * One claim's verdict from the summaries of its variants, best first by mean: `separated` when
 * each neighbour pair's means differ by more than the sum of their standard deviations (an
 * ordering the seeds agree on), else `overlapping` (the seeds cannot tell these apart).
 */
export function orderingOf(variants: readonly AblationVariantSummary[]): { order: string[]; separated: boolean } {
  const ranked = variants.filter(v => v.mean !== undefined).sort((a, b) => b.mean! - a.mean!);
  const separated = ranked.length > 1 && ranked.every((v, i) => i === 0 || ranked[i - 1].mean! - v.mean! > ranked[i - 1].std! + v.std!);
  return { order: ranked.map(v => v.id), separated };
}
