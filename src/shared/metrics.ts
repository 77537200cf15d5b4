/**
 * What each evaluation metric is — its key in `EvalMetrics`, label, unit, direction and chart
 * colour — defined once and read by the engine's CLI, the dashboard, the diffs and comparison
 * panels and the experiment log. Nothing here imports `vscode` or TensorFlow.
 */
import type { ResolvedShape, ShapeType } from './config';
import type { EvalMetrics } from './protocol';

export type MetricKey = keyof EvalMetrics;

export interface MetricDefinition {
  key: MetricKey;
  /** Short label for tables and legends. */
  label: string;
  /** One line of help: what is counted. */
  description: string;
  /** `fraction`: stored 0–1, shown as a percentage; `score`: 0–100; `value`: as is. */
  unit: 'fraction' | 'score' | 'value';
  /** True when a smaller value is better (loss, perplexity, error rates). */
  lowerIsBetter: boolean;
  /** Theme colour name (the webviews map it to a `--vscode-charts-*` variable). */
  color: 'blue' | 'red' | 'green' | 'yellow' | 'orange' | 'purple' | 'foreground';
  /** Decimal places when shown (after ×100 for fractions). */
  digits: number;
}

/** Every metric, in the order tables show them. */
export const METRICS: readonly MetricDefinition[] = [
  { key: 'exactMatch', label: 'Exact match', description: 'Share of outputs identical to their reference.', unit: 'fraction', lowerIsBetter: false, color: 'purple', digits: 2 },
  { key: 'tokenAccuracy', label: 'Token accuracy', description: 'Share of reference positions predicted correctly (no alignment).', unit: 'fraction', lowerIsBetter: false, color: 'green', digits: 2 },
  { key: 'bleu', label: 'BLEU', description: 'Corpus BLEU, sacreBLEU-compatible (13a tokenization).', unit: 'score', lowerIsBetter: false, color: 'red', digits: 2 },
  { key: 'chrf', label: 'chrF', description: 'Character n-gram F-score (n = 6, β = 2), sacreBLEU-compatible.', unit: 'score', lowerIsBetter: false, color: 'yellow', digits: 2 },
  { key: 'cer', label: 'CER', description: 'Character error rate: character edit distance ÷ reference characters.', unit: 'fraction', lowerIsBetter: true, color: 'orange', digits: 2 },
  { key: 'wer', label: 'WER', description: 'Word error rate: edit distance over space-separated words ÷ reference words (the phoneme error rate when the target is a phoneme sequence).', unit: 'fraction', lowerIsBetter: true, color: 'blue', digits: 2 },
  { key: 'perplexity', label: 'Perplexity', description: 'Teacher-forced perplexity of the references.', unit: 'value', lowerIsBetter: true, color: 'foreground', digits: 3 },
  { key: 'loss', label: 'Loss', description: 'Teacher-forced mean cross-entropy per target token.', unit: 'value', lowerIsBetter: true, color: 'blue', digits: 4 },
  { key: 'freeRunLoss', label: 'Free-running loss', description: 'Mean cross-entropy per reference token with the decoder fed its own greedy predictions (exposure bias, seed 001).', unit: 'value', lowerIsBetter: true, color: 'red', digits: 4 },
  { key: 'exposureGap', label: 'Exposure gap', description: 'Free-running loss − teacher-forced loss: what feeding its own predictions costs the model.', unit: 'value', lowerIsBetter: true, color: 'purple', digits: 4 },
  { key: 'teacherForcedAccuracy', label: 'Teacher-forced accuracy', description: 'Share of reference positions (</s> included) whose argmax is right when the decoder is fed the reference.', unit: 'fraction', lowerIsBetter: false, color: 'blue', digits: 2 },
  { key: 'freeRunAccuracy', label: 'Free-running accuracy', description: 'Share of reference positions (</s> included) whose argmax is right when the decoder is fed its own predictions.', unit: 'fraction', lowerIsBetter: false, color: 'red', digits: 2 },
  { key: 'macroF1', label: 'Macro-F1', description: 'classify and tag: the F1 score of each reference label (tag), averaged with equal weight over the labels; NaN for the other shapes.', unit: 'fraction', lowerIsBetter: false, color: 'orange', digits: 2 },
  { key: 'reward', label: 'Reward', description: 'Mean sentence-level reward (the run\'s rlReward: BLEU or chrF 0–1, exact match 0/1, or minus the token edit distance) of the decoded validation outputs; what objective rl maximises.', unit: 'value', lowerIsBetter: false, color: 'green', digits: 4 },
];

/**
 * The per-step training curves (not evaluation metrics) with their chart colours, so the
 * dashboard and the experiment log draw the training loss alike.
 */
export const STEP_SERIES = {
  trainLoss: { label: 'Train loss', color: 'orange' },
  learningRate: { label: 'Learning rate', color: 'purple' },
  gradientNorm: { label: 'Gradient norm', color: 'red' },
  tokensPerSecond: { label: 'Tokens/s', color: 'green' },
  /** objective rl: the step's mean reward of the sampled sequences and of the greedy baseline. */
  sampledReward: { label: 'Sampled reward (train)', color: 'orange' },
  greedyReward: { label: 'Greedy baseline reward (train)', color: 'blue' },
} as const satisfies Record<string, { label: string; color: MetricDefinition['color'] }>;

const BY_KEY = new Map<string, MetricDefinition>(METRICS.map(m => [m.key, m]));

/** The definition of a metric key; undefined for keys that are not metrics. */
export function metricDefinition(key: string): MetricDefinition | undefined {
  return BY_KEY.get(key);
}

/** Keys every `EvalMetrics` written since format 1 has (`cer`, `wer` and the exposure-bias keys and `reward` came later; see `readMetrics`). */
export const CORE_METRIC_KEYS: readonly MetricKey[] = ['exactMatch', 'tokenAccuracy', 'bleu', 'chrf', 'perplexity', 'loss'];

/**
 * What a target "word" is, which names the word error rate: `phoneme` for pronunciation
 * targets (the WER over phonemes is the PER), `word` otherwise.
 */
export type TargetUnit = 'word' | 'phoneme';

const SHAPE_NAMES = new Set<string>(['auto', 'seq2seq', 'classify', 'tag', 'generate']);

/**
 * The label of a metric for a run's shape and target unit: WER → PER for phoneme targets;
 * exact match is the Accuracy of classify, token accuracy the Tag accuracy of tag. Called as
 * `metricLabel(key)`, `metricLabel(key, unit)`, `metricLabel(key, shape)` or `metricLabel(key, unit, shape)`.
 */
export function metricLabel(key: MetricKey, unitOrShape?: TargetUnit | ShapeType, shape?: ShapeType): string {
  const resolved: ResolvedShape | undefined = (unitOrShape !== undefined && SHAPE_NAMES.has(unitOrShape) ? unitOrShape as ShapeType : shape) as ResolvedShape | undefined;
  const unit: TargetUnit = unitOrShape === 'phoneme' ? 'phoneme' : 'word';
  if (key === 'exactMatch' && resolved === 'classify') return 'Accuracy';
  if (key === 'tokenAccuracy' && resolved === 'tag') return 'Tag accuracy';
  if (key === 'exactMatch' && resolved === 'tag') return 'Sequence accuracy';
  if (key === 'wer' && unit === 'phoneme') return 'PER';
  return BY_KEY.get(key)?.label ?? key;
}

/** Every label `metricLabel` can give beyond the METRICS labels (for translation tables). */
export const SHAPE_METRIC_LABELS: readonly string[] = ['Accuracy', 'Tag accuracy', 'Sequence accuracy'];

/** True when `value` is better than `than` for this metric (higher is better unless `lowerIsBetter`). */
export function isBetter(key: MetricKey, value: number, than: number | undefined): boolean {
  if (than === undefined) return true;
  return BY_KEY.get(key)?.lowerIsBetter ? value < than : value > than;
}

/** Formats a metric value for display: percentages for fractions, fixed digits otherwise. */
export function formatMetric(key: MetricKey, value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '—';
  const def = BY_KEY.get(key);
  if (!def) return String(value);
  return def.unit === 'fraction' ? `${(value * 100).toFixed(def.digits)} %` : value.toFixed(def.digits);
}

/**
 * Reads an `EvalMetrics` from untrusted JSON (metrics.jsonl, result.json): the core keys must
 * be numbers; the later keys (`cer`, `wer`, the free-running ones, `reward`) are NaN when the run predates them. Undefined when it is not metrics.
 */
export function readMetrics(x: unknown): EvalMetrics | undefined {
  const m = x as Record<string, unknown> | null;
  if (!m || typeof m !== 'object' || !CORE_METRIC_KEYS.every(k => typeof m[k] === 'number')) return undefined;
  const out = {} as Record<MetricKey, number>;
  for (const def of METRICS) out[def.key] = typeof m[def.key] === 'number' ? (m[def.key] as number) : NaN;
  return out as unknown as EvalMetrics;
}
