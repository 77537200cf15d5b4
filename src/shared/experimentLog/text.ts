/**
 * The words the experiment log writes into a notebook (its cells' Markdown, the error cell) and
 * the notebook renderer shows, localizable: every such string is English here, with `{0}`
 * placeholders, and goes through a `LogTranslate` — `vscode.l10n.t` in the host, a lookup in
 * the labels the host puts into each run output for the renderer (which has no `vscode`), and
 * plain English (`englishText`) in tests and exports. RENDERER_STRINGS lists what the renderer
 * needs, so the host sends only those and the l10n test checks each has a translation.
 */
import { METRICS, metricLabel, SHAPE_METRIC_LABELS } from '../metrics';

export type LogTranslate = (template: string, ...args: Array<string | number>) => string;

/** Fills `{0}`, `{1}`… (the English text itself). */
export const englishText: LogTranslate = (template, ...args) => template.replace(/\{(\d+)\}/g, (match, i: string) => (args[Number(i)] !== undefined ? String(args[Number(i)]) : match));

/** A LogTranslate over a bundle of translations (English key → translated template). */
export function bundleText(labels: Record<string, string> | undefined): LogTranslate {
  return (template, ...args) => englishText(typeof labels?.[template] === 'string' ? labels[template] : template, ...args);
}

/** The renderer's own strings (its t('…') calls; the l10n test checks the list is complete). */
const RENDERER_OWN = [
  'Cannot show this run: {0}',
  'Waiting for the first training steps…',
  'This run recorded no metrics.',
  '{0} over training steps',
  'step',
  'Sample predictions',
  'Source',
  'Reference',
  'Prediction',
  'in the reference, missing from the prediction',
  'in the prediction, not in the reference',
];

/** The chart titles, axis labels and series names of runCharts.ts. */
export const CHART_TEXT = [
  'Loss', 'cross-entropy per token', 'train (smoothed)', 'validation',
  'Accuracy', '%', 'exact match', 'token accuracy', 'accuracy', 'tag accuracy', 'sequence accuracy', 'macro-F1',
  'BLEU and chrF', 'score (0–100)',
  'Error rates', '% (lower is better)',
] as const;

/** The final-metrics headings of runMarkdown.ts's finalMetrics. */
export const FINAL_TEXT = ['Final metrics (test split, best checkpoint)', 'Latest validation (step {0})'] as const;

/** Every string the renderer shows, for the labels each run output carries. */
export const RENDERER_STRINGS: readonly string[] = [...RENDERER_OWN, ...CHART_TEXT, ...FINAL_TEXT, ...METRICS.map(m => m.label), metricLabel('wer', 'phoneme'), ...SHAPE_METRIC_LABELS];
