/**
 * Which curves a run shows, as plain series: the notebook renderer draws them with chart.js,
 * the exports with svgChart.ts, so both show the same thing.
 */
import { metricDefinition, metricLabel, type MetricDefinition, type MetricKey, STEP_SERIES } from '../metrics';
import type { HistoryPoint, RunCell } from './types';
import { metricOfShape, runShape, targetUnit } from './runMarkdown';
import { englishText, type LogTranslate } from './text';

export type Point = [x: number, y: number];
export interface SeriesSpec {
  name: string;
  /** A `--vscode-charts-*` colour name (a metric's from METRICS); exports map it to a fixed colour. */
  color: MetricDefinition['color'];
  points: Point[];
  /** The validation metric it shows (absent: the training loss). */
  metric?: MetricKey;
}
export interface ChartSpec {
  id: 'loss' | 'accuracy' | 'bleu' | 'errorRate';
  title: string;
  yLabel: string;
  series: SeriesSpec[];
}

function validPoints(history: HistoryPoint[], key: MetricKey, scale: number): Point[] {
  return history.flatMap(p => {
    const value = p.valid?.[key];
    return value === null || value === undefined ? [] : [[p.step, value * scale] as Point];
  });
}

/** A validation metric's series, in its METRICS colour; fractions in %. */
function validSeries(history: HistoryPoint[], key: MetricKey, name: string): SeriesSpec {
  const def = metricDefinition(key)!;
  return { name, color: def.color, points: validPoints(history, key, def.unit === 'fraction' ? 100 : 1), metric: key };
}

/** The accuracy series' names for a run of `shape` (classify's exact match is its accuracy). */
const ACCURACY_NAMES: Record<'classify' | 'tag', Partial<Record<MetricKey, string>>> = {
  classify: { exactMatch: 'accuracy' },
  tag: { tokenAccuracy: 'tag accuracy', exactMatch: 'sequence accuracy' },
};

/**
 * Loss, accuracy (%; macro-F1 for classify and tag), BLEU/chrF and error rates (%) over
 * training steps; series of metrics the run's shape does not have, and series (and charts)
 * without points, are left out.
 */
export function runCharts(run: RunCell, t: LogTranslate = englishText): ChartSpec[] {
  const history = run.metricsHistory;
  const unit = targetUnit(run);
  const shape = runShape(run);
  const names = shape === 'classify' || shape === 'tag' ? ACCURACY_NAMES[shape] : {};
  const charts: ChartSpec[] = [
    {
      id: 'loss',
      title: t('Loss'),
      yLabel: t('cross-entropy per token'),
      series: [
        { name: t('train (smoothed)'), color: STEP_SERIES.trainLoss.color, points: history.flatMap(p => (p.trainLoss === undefined ? [] : [[p.step, p.trainLoss] as Point])) },
        validSeries(history, 'loss', t('validation')),
      ],
    },
    {
      id: 'accuracy',
      title: t('Accuracy'),
      yLabel: t('%'),
      series: [
        validSeries(history, 'exactMatch', t(names.exactMatch ?? 'exact match')),
        validSeries(history, 'tokenAccuracy', t(names.tokenAccuracy ?? 'token accuracy')),
        validSeries(history, 'macroF1', t('macro-F1')),
      ],
    },
    {
      id: 'bleu',
      title: t('BLEU and chrF'),
      yLabel: t('score (0–100)'),
      series: [
        validSeries(history, 'bleu', t('BLEU')),
        validSeries(history, 'chrf', t('chrF')),
      ],
    },
    {
      id: 'errorRate',
      title: t('Error rates'),
      yLabel: t('% (lower is better)'),
      series: [validSeries(history, 'cer', t(metricLabel('cer', unit))), validSeries(history, 'wer', t(metricLabel('wer', unit)))],
    },
  ];
  const kept = (s: SeriesSpec) => s.points.length > 0 && (!s.metric || metricOfShape(s.metric, shape));
  return charts.map(chart => ({ ...chart, series: chart.series.filter(kept) })).filter(chart => chart.series.length > 0);
}
