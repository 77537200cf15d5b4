/** The median stopping rule on hand-made curves, with Optuna MedianPruner's semantics. */
import { strict as assert } from 'assert';
import { Curve, median, medianPruneReason, MEDIAN_RULE_DEFAULTS } from '../../../src/shared/pruning';

const curve = (...points: Array<[number, number]>): Curve => new Map(points);
// Five completed trials' validation loss at steps 10, 20, 30 (lower is better). Medians: 2.0, 1.5, 1.0.
const completedLoss = [
  curve([10, 1.0], [20, 0.5], [30, 0.2]),
  curve([10, 1.5], [20, 1.0], [30, 0.6]),
  curve([10, 2.0], [20, 1.5], [30, 1.0]),
  curve([10, 2.5], [20, 2.0], [30, 1.5]),
  curve([10, 3.0], [20, 2.5], [30, 2.0]),
];

describe('median stopping rule', () => {
  it('median of odd and even counts', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.ok(Number.isNaN(median([])));
  });

  it('defaults are Optuna\'s: 5 startup trials, 0 warm-up steps', () => {
    assert.deepEqual({ ...MEDIAN_RULE_DEFAULTS }, { nStartupTrials: 5, nWarmupSteps: 0, nMinTrials: 1 });
  });

  it('loss (lower is better): worse than the median at the step is pruned, equal or better is not', () => {
    assert.match(medianPruneReason(curve([10, 2.4]), 10, completedLoss, 'loss')!, /pruned at step 10: best loss 2.4 is worse than the median 2 of 5 completed trials/);
    assert.equal(medianPruneReason(curve([10, 2.0]), 10, completedLoss, 'loss'), undefined);
    assert.equal(medianPruneReason(curve([10, 1.2]), 10, completedLoss, 'loss'), undefined);
  });

  it('the trial\'s best so far counts, not its last value', () => {
    // Last value 1.8 at step 20 is worse than the median 1.5, but its best (1.4 at step 10) is better.
    assert.equal(medianPruneReason(curve([10, 1.4], [20, 1.8]), 20, completedLoss, 'loss'), undefined);
    assert.ok(medianPruneReason(curve([10, 1.9], [20, 1.8]), 20, completedLoss, 'loss'));
  });

  it('exact match (higher is better): the direction comes from the metric registry', () => {
    const completedExact = completedLoss.map(c => new Map([...c].map(([s, v]) => [s, 1 - v / 4])));
    // Median at step 10: 1 - 2/4 = 0.5.
    assert.ok(medianPruneReason(curve([10, 0.4]), 10, completedExact, 'exactMatch'));
    assert.equal(medianPruneReason(curve([10, 0.6]), 10, completedExact, 'exactMatch'), undefined);
    // The same values read as a loss would be the other way round.
    assert.equal(medianPruneReason(curve([10, 0.4]), 10, completedExact, 'loss'), undefined);
  });

  it('no pruning before 5 completed trials, before the warm-up, or where no completed trial reported', () => {
    assert.equal(medianPruneReason(curve([10, 9]), 10, completedLoss.slice(0, 4), 'loss'), undefined);
    assert.ok(medianPruneReason(curve([10, 9]), 10, completedLoss.slice(0, 2), 'loss', { ...MEDIAN_RULE_DEFAULTS, nStartupTrials: 2 }));
    assert.equal(medianPruneReason(curve([10, 9]), 10, completedLoss, 'loss', { ...MEDIAN_RULE_DEFAULTS, nWarmupSteps: 11 }), undefined);
    assert.ok(medianPruneReason(curve([10, 9]), 10, completedLoss, 'loss', { ...MEDIAN_RULE_DEFAULTS, nWarmupSteps: 10 }));
    assert.equal(medianPruneReason(curve([15, 9]), 15, completedLoss, 'loss'), undefined);
    assert.equal(medianPruneReason(curve([10, 9]), 10, completedLoss, 'loss', { ...MEDIAN_RULE_DEFAULTS, nMinTrials: 6 }), undefined);
  });

  it('NaN: a trial with only NaN values is pruned; NaN in completed trials is ignored', () => {
    assert.match(medianPruneReason(curve([10, NaN]), 10, completedLoss, 'loss')!, /no valid loss/);
    const withNaN = [...completedLoss.slice(0, 4), curve([10, NaN])];
    // Median of 1.0, 1.5, 2.0, 2.5 = 1.75: 1.8 is worse, 1.7 is not.
    assert.ok(medianPruneReason(curve([10, 1.8]), 10, withNaN, 'loss'));
    assert.equal(medianPruneReason(curve([10, 1.7]), 10, withNaN, 'loss'), undefined);
  });
});
