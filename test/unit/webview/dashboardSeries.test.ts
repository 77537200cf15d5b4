/** ProgressEvents → dashboard curves: every curve gets points, resumed runs continue cleanly. */
import { strict as assert } from 'assert';
import { DEFAULT_CONFIG } from '../../../src/shared/config';
import type { EvalSample, ProgressEvent } from '../../../src/shared/protocol';
import { metricDefinition } from '../../../src/shared/metrics';
import { chartShown, chartTitle, CHARTS, RunData, seriesLabel, seriesShown } from '../../../webview/dashboard/series';
import { argmaxes, displayToken, intensities, percent } from '../../../webview/attention/heatmap';

const sample: EvalSample = {
  source: 'march 3 2021', sourceTokens: [], output: '2021-03-03', tokens: [], probabilities: [], attention: [], candidates: [], reference: '2021-03-03',
};
const start = (startStep: number): ProgressEvent => ({
  kind: 'start', runDir: '/r', backend: 'cpu', config: { ...DEFAULT_CONFIG }, trainPairs: 90, validPairs: 5, testPairs: 5, stepsPerEpoch: 10, totalSteps: 20, startStep,
});
const step = (n: number): ProgressEvent => ({
  kind: 'step', step: n, epoch: 1, loss: 3 / n, learningRate: 0.005, gradientNorm: 1.5, teacherForcing: 1, tokensPerSecond: 1000 + n, etaSeconds: 10, fractionDone: n / 20,
  reward: { sampled: 0.1 * n, greedy: 0.2 * n },
});
const evaluation = (n: number): ProgressEvent => ({
  kind: 'eval', step: n, epoch: 1, best: true, sample,
  metrics: { exactMatch: 0.5, tokenAccuracy: 0.8, bleu: 40, chrf: 60, cer: 0.12, wer: 0.4, perplexity: 2, loss: 0.7, teacherForcedAccuracy: 0.9, freeRunLoss: 1.2, freeRunAccuracy: 0.8, exposureGap: 0.5, reward: 0.45, macroF1: 0.6 },
});

describe('dashboard series', () => {
  it('the charts the issue asks for exist', () => {
    const labels = CHARTS.flatMap(c => c.series.map(s => s.label));
    for (const wanted of ['Train loss', 'Valid loss', 'Token accuracy', 'BLEU', 'Learning rate', 'Gradient norm', 'Tokens/s']) {
      assert.ok(labels.includes(wanted), wanted);
    }
  });

  it('charts CER and WER on their own error-rate chart, each metric in its METRICS colour and label', () => {
    const errorRate = CHARTS.find(c => c.id === 'errorRate');
    assert.deepEqual(errorRate?.series.map(s => s.label), ['CER', 'WER']);
    assert.equal(errorRate?.yMax, undefined, 'error rates can pass 1');
    const data = new RunData();
    data.add(evaluation(5));
    const c = CHARTS.indexOf(errorRate!);
    assert.deepEqual(data.points[c].map(points => points.map(p => p.y)), [[0.12], [0.4]]);
    const byLabel = new Map(CHARTS.flatMap(chart => chart.series.map(s => [s.label, s.color] as const)));
    for (const key of ['exactMatch', 'tokenAccuracy', 'bleu', 'chrf', 'cer', 'wer'] as const) {
      const def = metricDefinition(key)!;
      assert.equal(byLabel.get(def.label), def.color, key);
    }
    assert.equal(byLabel.get('Valid loss'), metricDefinition('loss')!.color);
  });

  it('draws the exposure-bias charts: teacher-forced and free-running loss with their gap, and both accuracies', () => {
    const data = new RunData();
    data.add(evaluation(5));
    const loss = CHARTS.findIndex(c => c.id === 'exposureLoss');
    const accuracy = CHARTS.findIndex(c => c.id === 'exposureAccuracy');
    assert.deepEqual(CHARTS[loss].series.map(s => s.label), ['Teacher-forced loss', 'Free-running loss', 'Exposure gap']);
    assert.deepEqual(data.points[loss].map(points => points.map(p => p.y)), [[0.7], [1.2], [0.5]]);
    assert.deepEqual(data.points[accuracy].map(points => points.map(p => p.y)), [[0.9], [0.8]]);
    // A run from before these metrics (NaN from readMetrics) draws nothing there.
    const old = evaluation(6) as Extract<ProgressEvent, { kind: 'eval' }>;
    const before = new RunData();
    before.add({ ...old, metrics: { ...old.metrics, teacherForcedAccuracy: NaN, freeRunLoss: NaN, freeRunAccuracy: NaN, exposureGap: NaN } });
    assert.equal(before.pointCount(accuracy), 0);
    assert.equal(before.pointCount(loss), 1, 'the teacher-forced loss is the old loss');
  });

  it('draws the reward chart: the sampled and greedy rewards of rl steps, the validation reward', () => {
    const data = new RunData();
    const reward = CHARTS.findIndex(c => c.id === 'reward');
    assert.deepEqual(CHARTS[reward].series.map(s => s.label), ['Sampled reward (train)', 'Greedy baseline reward (train)', 'Validation reward']);
    assert.equal(CHARTS[reward].series[2].color, metricDefinition('reward')!.color);
    const { reward: _, ...xentStep } = step(1) as Extract<ProgressEvent, { kind: 'step' }>;
    data.add(xentStep);
    assert.equal(data.pointCount(reward), 0, 'a cross-entropy step has no reward');
    data.add(step(2));
    data.add(evaluation(2));
    assert.deepEqual(data.points[reward].map(points => points.map(p => p.y)), [[0.2], [0.4], [0.45]]);
  });

  it('an evaluation from before the error rates draws no error-rate points', () => {
    const data = new RunData();
    const old = evaluation(5) as Extract<ProgressEvent, { kind: 'eval' }>;
    data.add({ ...old, metrics: { ...old.metrics, cer: NaN, wer: NaN } });
    assert.equal(data.pointCount(CHARTS.findIndex(c => c.id === 'errorRate')), 0);
    assert.equal(data.pointCount(CHARTS.findIndex(c => c.id === 'bleu')), 2);
  });

  it('puts points on every curve from step and eval events', () => {
    const data = new RunData();
    for (const e of [start(0), step(1), step(2), evaluation(2), { kind: 'checkpoint', step: 2, epoch: 1, path: '/c', best: true } as ProgressEvent]) data.add(e);
    CHARTS.forEach((chart, c) => chart.series.forEach((series, s) => assert.ok(data.points[c][s].length > 0, `${chart.id}/${series.label}`)));
    assert.deepEqual(data.points[0][0], [{ x: 1, y: 3 }, { x: 2, y: 1.5 }]);
    assert.deepEqual(data.points[0][1], [{ x: 2, y: 0.7 }]);
    assert.equal(data.samples.length, 1);
    assert.equal(data.checkpoints, 1);
    assert.equal(data.events, 5);
  });

  it('a resumed run drops points after its checkpoint and continues', () => {
    const data = new RunData();
    for (const e of [start(0), step(1), step(2), evaluation(2), step(3), step(4), evaluation(4)]) data.add(e);
    data.add(start(2));
    assert.deepEqual(data.points[0][0].map(p => p.x), [1, 2]);
    assert.equal(data.samples.length, 1);
    data.add(step(3));
    assert.deepEqual(data.points[0][0].map(p => p.x), [1, 2, 3]);
  });

  it('ignores non-finite values and unknown kinds', () => {
    const data = new RunData();
    data.add({ ...(step(1) as object), loss: NaN } as ProgressEvent);
    assert.equal(data.points[0][0].length, 0);
    assert.equal(data.add({ kind: 'mystery' } as unknown as ProgressEvent), false);
  });
});

describe('attention heatmap helpers', () => {
  it('shades relative to the row maximum and finds the argmax', () => {
    assert.deepEqual(intensities([0.1, 0.4, 0.2]), [0.25, 1, 0.5]);
    assert.deepEqual(intensities([0, 0]), [0, 0]);
    assert.deepEqual(argmaxes([[0.1, 0.7, 0.2], [], [1, 0, 0]]), [1, -1, 0]);
  });

  it('makes whitespace tokens visible and formats probabilities', () => {
    assert.equal(displayToken(' '), '␣');
    assert.equal(displayToken(''), '∅');
    assert.equal(displayToken('a b'), 'a␣b');
    assert.equal(percent(0.5), '50 %');
    assert.equal(percent(0.999), '99.9 %');
    assert.equal(percent(NaN), '–');
  });

  it('draws only the curves of the run\'s shape, named for it: no BLEU, error-rate or exposure chart for classify', () => {
    const shown = (shape: 'seq2seq' | 'classify' | 'tag') => CHARTS.filter(c => chartShown(c, shape)).map(c => c.id);
    assert.deepEqual(shown('seq2seq'), CHARTS.map(c => c.id), 'seq2seq keeps every chart');
    assert.deepEqual(shown('classify'), ['loss', 'accuracy', 'learningRate', 'gradientNorm', 'tokensPerSecond']);
    assert.deepEqual(shown('tag'), ['loss', 'accuracy', 'learningRate', 'gradientNorm', 'tokensPerSecond']);
    const accuracy = CHARTS.find(c => c.id === 'accuracy')!;
    assert.equal(chartTitle(accuracy, 'classify'), 'Accuracy');
    assert.equal(chartTitle(accuracy, 'tag'), 'Tag accuracy');
    assert.equal(chartTitle(accuracy, 'seq2seq'), 'Token accuracy');
    assert.deepEqual(accuracy.series.filter(s => seriesShown(s, 'classify')).map(s => seriesLabel(s, 'word', 'classify')), ['Accuracy', 'Macro-F1']);
    assert.deepEqual(accuracy.series.filter(s => seriesShown(s, 'tag')).map(s => seriesLabel(s, 'word', 'tag')), ['Tag accuracy', 'Sequence accuracy', 'Macro-F1']);
    assert.deepEqual(accuracy.series.filter(s => seriesShown(s, 'seq2seq')).map(s => seriesLabel(s, 'word')), ['Token accuracy', 'Exact match']);
    // The train-time reward curves need the reward metric: not for classify.
    const reward = CHARTS.find(c => c.id === 'reward')!;
    assert.equal(reward.series.some(s => seriesShown(s, 'classify')), false);
  });

  it('knows the run\'s shape from its start event, else from the run directory, else seq2seq', () => {
    assert.equal(new RunData().shape, 'seq2seq');
    assert.equal(new RunData({ shape: 'tag' }).shape, 'tag');
    const data = new RunData({ shape: 'tag' });
    data.add({ ...(start(0) as Extract<ProgressEvent, { kind: 'start' }>), shape: 'classify' });
    assert.equal(data.shape, 'classify');
  });
});
