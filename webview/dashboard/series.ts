/**
 * Which curves the dashboard draws and how ProgressEvents become their points. DOM-free, so the
 * mapping is unit-tested under Node.
 */
import { metricDefinition, metricLabel, type MetricDefinition, type MetricKey, STEP_SERIES, type TargetUnit } from '../../src/shared/metrics';
import type { EvalSample, ProgressEvent, RunDecisions } from '../../src/shared/protocol';
import type { DashboardRunInfo } from '../../src/shared/webviewProtocol';

type StepEvent = Extract<ProgressEvent, { kind: 'step' }>;
type EvalEvent = Extract<ProgressEvent, { kind: 'eval' }>;

export interface SeriesSpec {
  /** English; the dashboard shows it through t() (the l10n unit test checks its translation). */
  label: string;
  /** Set when `label` is this metric's own: the label then follows the target unit (WER → PER). */
  metric?: MetricKey;
  /** Palette entry (a --vscode-charts-* colour); an evaluation metric's is its METRICS colour. */
  color: MetricDefinition['color'];
  from: 'step' | 'eval';
  value: (event: StepEvent | EvalEvent) => number;
}

export interface ChartSpec {
  id: string;
  /** English, shown through t() like the series labels. */
  title: string;
  series: SeriesSpec[];
  /** Fixed y range (e.g. 0–1 for accuracies). */
  yMin?: number;
  yMax?: number;
}

const step = (f: (e: StepEvent) => number) => (e: StepEvent | EvalEvent) => f(e as StepEvent);

/** The curve of an evaluation metric: its label (unless given) and colour from METRICS. */
function metricSeries(key: MetricKey, label?: string): SeriesSpec {
  const def = metricDefinition(key)!;
  return { label: label ?? def.label, ...(label ? {} : { metric: key }), color: def.color, from: 'eval', value: e => (e as EvalEvent).metrics[key] };
}

/** The English label a series shows for a run whose target words are `unit`s (PER for phonemes). */
export function seriesLabel(series: SeriesSpec, unit: TargetUnit): string {
  return series.metric ? metricLabel(series.metric, unit) : series.label;
}

export const CHARTS: ChartSpec[] = [
  {
    id: 'loss',
    title: 'Loss',
    series: [
      { ...STEP_SERIES.trainLoss, from: 'step', value: step(e => e.loss) },
      metricSeries('loss', 'Valid loss'),
    ],
    yMin: 0,
  },
  {
    id: 'accuracy',
    title: 'Token accuracy',
    series: [
      metricSeries('tokenAccuracy'),
      metricSeries('exactMatch'),
    ],
    yMin: 0,
    yMax: 1,
  },
  {
    id: 'bleu',
    title: 'BLEU',
    series: [
      metricSeries('bleu'),
      metricSeries('chrf'),
    ],
    yMin: 0,
    yMax: 100,
  },
  {
    // Lower is better; no fixed top: outputs much longer than their references go past 1.
    id: 'errorRate',
    title: 'Error rate',
    series: [metricSeries('cer'), metricSeries('wer')],
    yMin: 0,
  },
  {
    // Exposure bias (seed 001): the references scored with the decoder fed the reference vs its
    // own greedy predictions; the gap is what never seeing its own mistakes costs the model.
    id: 'exposureLoss',
    title: 'Exposure bias: loss',
    series: [metricSeries('loss', 'Teacher-forced loss'), metricSeries('freeRunLoss'), metricSeries('exposureGap')],
  },
  {
    id: 'exposureAccuracy',
    title: 'Exposure bias: token accuracy',
    series: [metricSeries('teacherForcedAccuracy'), metricSeries('freeRunAccuracy')],
    yMin: 0,
    yMax: 1,
  },
  {
    // Self-critical sequence training (objective rl): each step's mean reward of the sampled
    // sequences and of the greedy baseline, and the validation outputs' mean reward.
    id: 'reward',
    title: 'Reward',
    series: [
      { ...STEP_SERIES.sampledReward, from: 'step', value: step(e => e.reward?.sampled ?? NaN) },
      { ...STEP_SERIES.greedyReward, from: 'step', value: step(e => e.reward?.greedy ?? NaN) },
      metricSeries('reward', 'Validation reward'),
    ],
  },
  { id: 'learningRate', title: 'Learning rate', series: [{ ...STEP_SERIES.learningRate, from: 'step', value: step(e => e.learningRate) }], yMin: 0 },
  { id: 'gradientNorm', title: 'Gradient norm', series: [{ ...STEP_SERIES.gradientNorm, from: 'step', value: step(e => e.gradientNorm) }], yMin: 0 },
  { id: 'tokensPerSecond', title: 'Tokens/s', series: [{ ...STEP_SERIES.tokensPerSecond, from: 'step', value: step(e => e.tokensPerSecond) }], yMin: 0 },
];

export interface Point {
  x: number;
  y: number;
}

/** The run as the dashboard knows it: points per chart and series, samples, logs, what `auto` decided. */
export class RunData {
  /** `info`: what the host read from the run directory (used where no `start` event says it). */
  constructor(private readonly info: DashboardRunInfo = {}) {}

  /** points[chartIndex][seriesIndex] */
  readonly points: Point[][][] = CHARTS.map(c => c.series.map(() => []));
  samples: Array<{ step: number; epoch: number; sample: EvalSample; exactMatch: number; best: boolean }> = [];
  logs: Array<{ level: 'info' | 'warn'; message: string }> = [];
  start: Extract<ProgressEvent, { kind: 'start' }> | undefined;
  lastStep: StepEvent | undefined;
  lastEval: EvalEvent | undefined;
  checkpoints = 0;
  events = 0;

  /** Adds one event; returns true when it changed something drawn. */
  add(event: ProgressEvent): boolean {
    if (typeof event !== 'object' || event === null) return false;
    this.events++;
    switch (event.kind) {
      case 'start':
        // A resumed run continues from its checkpoint: points after it are replaced by the new ones.
        this.start = event;
        this.truncateAfter(event.startStep);
        return true;
      case 'step':
      case 'eval':
        for (const [c, chart] of CHARTS.entries()) {
          for (const [s, series] of chart.series.entries()) {
            if (series.from !== event.kind) continue;
            const y = series.value(event);
            if (typeof y === 'number' && Number.isFinite(y) && Number.isFinite(event.step)) this.points[c][s].push({ x: event.step, y });
          }
        }
        if (event.kind === 'step') this.lastStep = event;
        else {
          this.lastEval = event;
          if (event.sample) this.samples.push({ step: event.step, epoch: event.epoch, sample: event.sample, exactMatch: event.metrics.exactMatch, best: event.best });
        }
        return true;
      case 'checkpoint':
        this.checkpoints++;
        return true;
      case 'log':
        this.logs.push({ level: event.level, message: String(event.message) });
        return true;
      default:
        return false;
    }
  }

  private truncateAfter(step: number): void {
    if (!Number.isFinite(step)) return;
    for (const chart of this.points) for (const series of chart) {
      while (series.length && series[series.length - 1].x > step) series.pop();
    }
    this.samples = this.samples.filter(s => s.step <= step);
  }

  /** What `auto` decided: the latest `start` event's, else the run directory's; undefined for older runs. */
  get decisions(): RunDecisions | undefined {
    return this.start?.decisions ?? this.info.decisions;
  }

  /** What a target word is (`phoneme`: the WER is the PER). */
  get targetUnit(): TargetUnit {
    return this.start?.targetUnit ?? this.info.targetUnit ?? 'word';
  }

  pointCount(chart: number): number {
    return this.points[chart].reduce((n, s) => n + s.length, 0);
  }
}
