import { strict as assert } from 'assert';
import { afterEvaluation, StoppingState } from '../../../src/engine/train/earlyStopping';

const fresh = (): StoppingState => ({ best: null, evaluationsWithoutImprovement: 0 });
const LOSS = { earlyStoppingMetric: 'loss' as const, patience: 6, lrDecay: 'plateau' as const, plateauPatience: 2, plateauFactor: 0.5 };

describe('early stopping, patience and plateau decay (worked by hand)', () => {
  it('loss: best on any fall, progress only on a 1 % fall, two cuts before stopping', () => {
    const state = fresh();
    const run = (values: number[]) => values.map((v, i) => afterEvaluation(state, LOSS, v, (i + 1) * 100));
    // 2.0 best+progress; 1.0 best+progress; 0.995 best, not 1 % below 1.0 (no progress: plateau 1);
    // 0.996 no best (plateau 2 → cut to 0.5); 0.994 best, 1.0 × 0.99 = 0.99 not reached (plateau 1);
    // 0.98 progress (resets); then six stalls: cuts after the 2nd, 4th and 6th, and the 6th stops the run.
    const decisions = run([2.0, 1.0, 0.995, 0.996, 0.994, 0.98, 0.98, 0.98, 0.98, 0.98, 0.98, 0.98]);
    assert.deepEqual(decisions.map(d => d.best), [true, true, true, false, true, true, false, false, false, false, false, false]);
    assert.deepEqual(decisions.map(d => d.learningRateCut), [false, false, false, true, false, false, false, true, false, true, false, true]);
    assert.deepEqual(decisions.map(d => d.stop), [false, false, false, false, false, false, false, false, false, false, false, true]);
    assert.equal(state.learningRateScale, 0.5 ** 4);
    assert.deepEqual(state.best, { value: 0.98, step: 600 });
  });

  it('a learned task\'s loss creeping down by less than 0.001 a time is no progress', () => {
    const state = fresh();
    const rules = { ...LOSS, patience: 3, lrDecay: 'none' as const };
    const stops = [0.05, 0.01, 0.0095, 0.0093, 0.0091].map((v, i) => afterEvaluation(state, rules, v, i).stop);
    // 0.05 → 0.01 is progress; then never 0.001 below 0.01 (though a few % each time): three stalls stop.
    assert.deepEqual(stops, [false, false, false, false, true]);
  });

  it('exact match stuck at its first value counts nothing; once it moves, patience runs', () => {
    const state = fresh();
    const rules = { ...LOSS, earlyStoppingMetric: 'exactMatch' as const, patience: 2, lrDecay: 'none' as const };
    const stops = [0, 0, 0, 0, 0, 0.1, 0.1, 0.1].map((v, i) => afterEvaluation(state, rules, v, i).stop);
    assert.deepEqual(stops, [false, false, false, false, false, false, false, true]);
  });

  it('lower-is-better error rates and no plateau cuts without plateau decay', () => {
    const state = fresh();
    const rules = { ...LOSS, earlyStoppingMetric: 'cer' as const, lrDecay: 'none' as const, patience: 0 };
    const best = [0.5, 0.4, 0.45, 0.3].map((v, i) => afterEvaluation(state, rules, v, i));
    assert.deepEqual(best.map(d => d.best), [true, true, false, true]);
    assert.ok(best.every(d => !d.learningRateCut && !d.stop), 'patience 0 never stops');
    assert.equal(state.learningRateScale, undefined);
  });
});
