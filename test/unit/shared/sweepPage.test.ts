/**
 * The sweep page's model on hand-made trials: progress counts, the axes (only settings that
 * vary, the seed left out, log scale for wide positive ranges, categories in order), positions
 * on them, the metric's direction in the colours, mean ± std over seeds, the best trial, and the
 * points of metric vs one setting; the messages and saved state it accepts.
 */
import { strict as assert } from 'assert';
import {
  axisPosition, bestTrial, metricRange, metricVsSetting, parallelLines, parseSweepMessage, parseSweepState, settingAxes, settingGroups, sweepProgress,
  type SweepPageTrial,
} from '../../../src/shared/sweepPage';

const trial = (index: number, settings: SweepPageTrial['settings'], state: SweepPageTrial['state'], metric?: number): SweepPageTrial => ({
  trial: index, settings, state, ...(metric !== undefined ? { metric, runDir: `/runs/t${index}` } : {}),
});

// learningRate × cell, 2 seeds each; loss is the metric (lower is better).
const TRIALS: SweepPageTrial[] = [
  trial(0, { learningRate: 0.0001, cell: 'lstm', seed: 1 }, 'completed', 0.9),
  trial(1, { learningRate: 0.0001, cell: 'lstm', seed: 2 }, 'completed', 0.7),
  trial(2, { learningRate: 0.01, cell: 'lstm', seed: 1 }, 'completed', 0.3),
  trial(3, { learningRate: 0.01, cell: 'lstm', seed: 2 }, 'completed', 0.5),
  trial(4, { learningRate: 0.0001, cell: 'gru', seed: 1 }, 'pruned', 2.0),
  trial(5, { learningRate: 0.0001, cell: 'gru', seed: 2 }, 'running', 1.1),
  trial(6, { learningRate: 0.01, cell: 'gru', seed: 1 }, 'failed'),
  trial(7, { learningRate: 0.01, cell: 'gru', seed: 2 }, 'queued'),
];

describe('sweep page model', () => {
  it('counts the trials by state', () => {
    assert.deepEqual(sweepProgress(TRIALS), { total: 8, completed: 4, running: 1, queued: 1, pruned: 1, other: 1 });
  });

  it('an axis per varying setting, the seed left out; log scale for a wide positive range; categories in first-seen order', () => {
    const axes = settingAxes(TRIALS);
    assert.deepEqual(axes, [
      { key: 'learningRate', kind: 'number', min: 0.0001, max: 0.01, log: true },
      { key: 'cell', kind: 'category', values: ['lstm', 'gru'] },
    ]);
    assert.deepEqual(settingAxes([trial(0, { hiddenSize: 32, cell: 'gru', seed: 1 }, 'completed'), trial(1, { hiddenSize: 64, cell: 'gru', seed: 2 }, 'completed')]),
      [{ key: 'hiddenSize', kind: 'number', min: 32, max: 64, log: false }], 'cell does not vary, the seed is no axis');
    const [lr, cell] = axes;
    assert.equal(axisPosition(lr, 0.0001), 0);
    assert.ok(Math.abs(axisPosition(lr, 0.001)! - 0.5) < 1e-12, 'the log axis puts 1e-3 half-way');
    assert.equal(axisPosition(lr, 0.01), 1);
    assert.equal(axisPosition(cell, 'lstm'), 0);
    assert.equal(axisPosition(cell, 'gru'), 1);
    assert.equal(axisPosition(cell, 'rnn'), undefined);
    assert.equal(axisPosition({ key: 'h', kind: 'number', min: 10, max: 30, log: false }, 15), 0.25);
  });

  it('one line per trial: its positions, and on the metric axis only with a value; the best loss is the best colour', () => {
    const lines = parallelLines(TRIALS, settingAxes(TRIALS), 'loss');
    assert.equal(lines.length, 8);
    assert.deepEqual(metricRange(TRIALS), { min: 0.3, max: 2.0 });
    const best = lines[2];
    assert.deepEqual(best.positions, [1, 0]);
    assert.equal(best.metricPosition, 0, 'lowest loss at the bottom of the axis');
    assert.equal(best.quality, 1, 'lower loss is better');
    assert.equal(lines[4].quality, 0);
    assert.equal(lines[6].metricPosition, undefined);
    const exact = parallelLines([trial(0, { a: 1 }, 'completed', 0.2), trial(1, { a: 2 }, 'completed', 0.8)], settingAxes([trial(0, { a: 1 }, 'completed'), trial(1, { a: 2 }, 'completed')]), 'exactMatch');
    assert.deepEqual(exact.map(l => l.quality), [0, 1], 'higher exact match is better');
    assert.ok(metricRange([trial(0, { a: 1 }, 'completed', 0.5)])!.max > 0.5, 'a single value gets a range');
  });

  it('groups by setting over seeds: mean ± std of the completed trials only', () => {
    const groups = settingGroups(TRIALS);
    assert.equal(groups.length, 4);
    assert.deepEqual(groups[0].settings, { learningRate: 0.0001, cell: 'lstm' });
    assert.ok(Math.abs(groups[0].mean! - 0.8) < 1e-12);
    assert.ok(Math.abs(groups[0].std! - Math.sqrt(0.02)) < 1e-12, 'sample std (n − 1)');
    assert.equal(groups[0].n, 2);
    assert.equal(groups[2].mean, undefined, 'pruned and running trials are not compared');
    assert.equal(groups[3].mean, undefined);
  });

  it('the best trial: the best seed of the setting with the best mean', () => {
    const best = bestTrial(TRIALS, 'loss')!;
    assert.deepEqual(best.group.settings, { learningRate: 0.01, cell: 'lstm' });
    assert.equal(best.trial.trial, 2);
    const higher = TRIALS.map(t => ({ ...t }));
    assert.equal(bestTrial(higher, 'exactMatch')!.trial.trial, 0, 'exact match: higher is better');
    assert.equal(bestTrial([trial(0, { a: 1 }, 'running', 0.1)], 'loss'), undefined, 'nothing completed yet');
  });

  it('metric vs one setting: one point per run with a value, the mean ± std of each setting at its x', () => {
    const [lr, cell] = settingAxes(TRIALS);
    const byRate = metricVsSetting(TRIALS, lr);
    assert.deepEqual(byRate.points.map(p => [p.x, p.y]), [[0.0001, 0.9], [0.0001, 0.7], [0.01, 0.3], [0.01, 0.5], [0.0001, 2.0], [0.0001, 1.1]]);
    assert.deepEqual(byRate.means.map(m => [m.x, Number(m.mean.toFixed(6)), m.n]), [[0.0001, 0.8, 2], [0.01, 0.4, 2]]);
    const byCell = metricVsSetting(TRIALS, cell);
    assert.deepEqual(byCell.points.map(p => p.x), [0, 0, 0, 0, 1, 1], 'categories by their index');
  });

  it('accepts its messages and state, rejects others', () => {
    assert.deepEqual(parseSweepMessage({ type: 'trainBest', runDir: '/runs/a' }), { ok: true, value: { type: 'trainBest', runDir: '/runs/a' } });
    assert.equal(parseSweepMessage({ type: 'open', runDir: '' }).ok, false);
    assert.equal(parseSweepMessage({ type: 'open', runDir: '/a', extra: 1 }).ok, false);
    assert.equal(parseSweepMessage({ type: 'delete' }).ok, false);
    assert.deepEqual(parseSweepState({ sweepId: 'sweep-1', x: 'cell' }), { ok: true, value: { sweepId: 'sweep-1', x: 'cell' } });
    assert.equal(parseSweepState({}).ok, false);
  });
});
