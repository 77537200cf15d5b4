/**
 * Which curves a run shows, as plain series: the notebook renderer draws them with chart.js,
 * the exports with svgChart.ts, so both show the same thing.
 */
import type { HistoryPoint, LoggedMetrics, RunCell } from './format';

export type Point = [x: number, y: number];
export interface SeriesSpec {
  name: string;
  /** A `--vscode-charts-*` colour name; exports map it to a fixed colour. */
  color: 'blue' | 'red' | 'green' | 'orange' | 'purple' | 'yellow';
  points: Point[];
}
export interface ChartSpec {
  id: 'loss' | 'accuracy' | 'bleu';
  title: string;
  yLabel: string;
  series: SeriesSpec[];
}

function validSeries(history: HistoryPoint[], key: keyof LoggedMetrics, scale: number): Point[] {
  return history.flatMap(p => {
    const value = p.valid?.[key];
    return value === null || value === undefined ? [] : [[p.step, value * scale] as Point];
  });
}

/** Loss, accuracy (%) and BLEU/chrF over training steps; series without points are left out. */
export function runCharts(run: RunCell): ChartSpec[] {
  const history = run.metricsHistory;
  const charts: ChartSpec[] = [
    {
      id: 'loss',
      title: 'Loss',
      yLabel: 'cross-entropy per token',
      series: [
        { name: 'train (smoothed)', color: 'blue', points: history.flatMap(p => (p.trainLoss === undefined ? [] : [[p.step, p.trainLoss] as Point])) },
        { name: 'validation', color: 'orange', points: validSeries(history, 'loss', 1) },
      ],
    },
    {
      id: 'accuracy',
      title: 'Accuracy',
      yLabel: '%',
      series: [
        { name: 'exact match', color: 'green', points: validSeries(history, 'exactMatch', 100) },
        { name: 'token accuracy', color: 'purple', points: validSeries(history, 'tokenAccuracy', 100) },
      ],
    },
    {
      id: 'bleu',
      title: 'BLEU and chrF',
      yLabel: 'score (0–100)',
      series: [
        { name: 'BLEU', color: 'red', points: validSeries(history, 'bleu', 1) },
        { name: 'chrF', color: 'yellow', points: validSeries(history, 'chrf', 1) },
      ],
    },
  ];
  return charts.map(chart => ({ ...chart, series: chart.series.filter(s => s.points.length > 0) })).filter(chart => chart.series.length > 0);
}
