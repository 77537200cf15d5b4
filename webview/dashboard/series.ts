/**
 * Which curves the dashboard draws and how ProgressEvents become their points. DOM-free, so the
 * mapping is unit-tested under Node.
 */
import type { ResolvedShape } from '../../src/shared/config';
import { metricDefinition, metricLabel, type MetricDefinition, type MetricKey, STEP_SERIES, type TargetUnit } from '../../src/shared/metrics';
import { SHAPES } from '../../src/shared/shapes';
import type { EvalSample, ProgressEvent, RunDecisions } from '../../src/shared/protocol';
import type { DashboardRunInfo } from '../../src/shared/webviewProtocol';

type StepEvent = Extract<ProgressEvent, { kind: 'step' }>;
type EvalEvent = Extract<ProgressEvent, { kind: 'eval' }>;

export interface SeriesSpec {
  /** English; the dashboard shows it through t() (the l10n unit test checks its translation). */
  label: string;
  /** Set when `label` is this metric's own: the label then follows the target unit (WER → PER) and the shape. */
  metric?: MetricKey;
  /** The evaluation metric the curve shows (or, for a step curve, depends on): drawn only for shapes that have it. */
  needs?: MetricKey;
  /** Palette entry (a --vscode-charts-* colour); an evaluation metric's is its METRICS colour. */
  color: MetricDefinition['color'];
  from: 'step' | 'eval';
  value: (event: StepEvent | EvalEvent) => number;
}

export interface ChartSpec {
  id: string;
  /** English, shown through t() like the series labels. */
  title: string;
  /** The title for a shape whose metrics go by other names (classify's exact match is its accuracy). */
  titles?: Partial<Record<ResolvedShape, string>>;
  series: SeriesSpec[];
  /** Fixed y range (e.g. 0–1 for accuracies). */
  yMin?: number;
  yMax?: number;
}

const step = (f: (e: StepEvent) => number) => (e: StepEvent | EvalEvent) => f(e as StepEvent);

/** The curve of an evaluation metric: its label (unless given) and colour from METRICS. */
function metricSeries(key: MetricKey, label?: string, needs: MetricKey = key): SeriesSpec {
  const def = metricDefinition(key)!;
  return { label: label ?? def.label, ...(label ? {} : { metric: key }), needs, color: def.color, from: 'eval', value: e => (e as EvalEvent).metrics[key] };
}

/** The English label a series shows for a run whose target words are `unit`s (PER for phonemes) and of `shape`. */
export function seriesLabel(series: SeriesSpec, unit: TargetUnit, shape: ResolvedShape = 'seq2seq'): string {
  return series.metric ? metricLabel(series.metric, unit, shape) : series.label;
}

/** Whether a run of `shape` draws the series (BLEU means nothing for classify: no empty curve for it). */
export function seriesShown(series: SeriesSpec, shape: ResolvedShape): boolean {
  return !series.needs || SHAPES[shape].metrics.includes(series.needs);
}

/** Whether a run of `shape` shows the chart: when it draws one of its series. */
export function chartShown(chart: ChartSpec, shape: ResolvedShape): boolean {
  return chart.series.some(s => seriesShown(s, shape));
}

/** The English title of a chart for a run of `shape`. */
export function chartTitle(chart: ChartSpec, shape: ResolvedShape): string {
  return chart.titles?.[shape] ?? chart.title;
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
    titles: { classify: 'Accuracy', tag: 'Tag accuracy' },
    series: [
      metricSeries('tokenAccuracy'),
      metricSeries('exactMatch'),
      // classify and tag (NaN for the other shapes, which do not draw it).
      metricSeries('macroF1'),
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
    // The teacher-forced loss is there to compare with the free-running one: only where that exists.
    series: [metricSeries('loss', 'Teacher-forced loss', 'freeRunLoss'), metricSeries('freeRunLoss'), metricSeries('exposureGap')],
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
      { ...STEP_SERIES.sampledReward, needs: 'reward', from: 'step', value: step(e => e.reward?.sampled ?? NaN) },
      { ...STEP_SERIES.greedyReward, needs: 'reward', from: 'step', value: step(e => e.reward?.greedy ?? NaN) },
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

  /** The run's shape: the `start` event's, else the run directory's; seq2seq for runs before the shapes. */
  get shape(): ResolvedShape {
    return this.start?.shape ?? this.info.shape ?? 'seq2seq';
  }

  /** What a target word is (`phoneme`: the WER is the PER). */
  get targetUnit(): TargetUnit {
    return this.start?.targetUnit ?? this.info.targetUnit ?? 'word';
  }

  pointCount(chart: number): number {
    return this.points[chart].reduce((n, s) => n + s.length, 0);
  }
}
