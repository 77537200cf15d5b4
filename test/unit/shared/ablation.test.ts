/** The ablation plan: every run valid, each differing from the base in exactly the setting it studies. */
import { strict as assert } from 'assert';
import { ablationPlan, ABLATION_VARIANTS, DEFAULT_ABLATION_SEEDS, orderingOf, summarizeAblation } from '../../../src/shared/ablation';
import { validateConfig } from '../../../src/shared/config';

describe('ablation plan', () => {
  for (const size of ['tiny', 'small'] as const) {
    it(`${size}: 8 valid runs, LSTM/GRU/RNN, uni/bi/reversed, additive/dot/general/none`, () => {
      const plan = ablationPlan(size);
      assert.equal(plan.length, 8);
      assert.equal(new Set(plan.map(p => p.label)).size, 8);
      for (const run of plan) assert.deepEqual(validateConfig(run.config).errors, [], run.id);
      const base = plan[0].config;
      for (const run of plan.slice(1)) {
        const differing = Object.keys(run.config).filter(k => JSON.stringify((run.config as Record<string, unknown>)[k]) !== JSON.stringify((base as Record<string, unknown>)[k]));
        assert.equal(differing.length, 1, `${run.id} changes one setting (${differing.join(', ')})`);
      }
      assert.deepEqual(new Set(plan.map(p => p.config.cell)), new Set(['lstm', 'gru', 'rnn']));
      assert.deepEqual(new Set(plan.map(p => p.config.attention)), new Set(['additive', 'dot', 'general', 'none']));
      assert.ok(plan.some(p => p.config.bidirectional) && plan.some(p => p.config.reverseSource));
      assert.deepEqual(ABLATION_VARIANTS.filter(v => v.groups.length === 3).map(v => v.id), ['lstm-uni-additive']);
    });
  }
});

describe('ablation with seeds', () => {
  it('each variant with seeds 1..S, labels apart, every run valid', () => {
    const plan = ablationPlan('tiny', 3);
    assert.equal(plan.length, 24);
    assert.equal(new Set(plan.map(p => p.label)).size, 24);
    assert.deepEqual(plan.filter(p => p.id === 'gru').map(p => [p.seed, p.config.seed, p.label]), [[1, 1, 'ablation-gru-s1'], [2, 2, 'ablation-gru-s2'], [3, 3, 'ablation-gru-s3']]);
    for (const run of plan) assert.deepEqual(validateConfig(run.config).errors, [], run.label);
    assert.equal(DEFAULT_ABLATION_SEEDS, 3);
  });

  it('mean ± std per variant, and whether an ordering is separated by more than the spread', () => {
    const results = [
      { id: 'lstm-uni-additive', exactMatch: 0.9 }, { id: 'lstm-uni-additive', exactMatch: 0.8 },
      { id: 'gru', exactMatch: 0.5 }, { id: 'gru', exactMatch: 0.6 },
      { id: 'rnn', exactMatch: 0.55 }, { id: 'rnn', exactMatch: 0.85 },
    ];
    const summary = summarizeAblation(results);
    assert.deepEqual(summary.map(v => v.id), ['lstm-uni-additive', 'gru', 'rnn']);
    assert.ok(Math.abs(summary[0].mean! - 0.85) < 1e-12);
    assert.ok(Math.abs(summary[0].std! - Math.sqrt(0.005)) < 1e-12);
    // LSTM 0.85 ± 0.07 vs GRU 0.55 ± 0.07: separated; RNN 0.70 ± 0.21 overlaps both.
    assert.deepEqual(orderingOf(summary.filter(v => v.id !== 'rnn')), { order: ['lstm-uni-additive', 'gru'], separated: true });
    assert.deepEqual(orderingOf(summary), { order: ['lstm-uni-additive', 'rnn', 'gru'], separated: false });
  });
});
