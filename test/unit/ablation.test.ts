/** The ablation plan: every run valid, each differing from the base in exactly the setting it studies. */
import { strict as assert } from 'assert';
import { ablationPlan, ABLATION_VARIANTS } from '../../src/shared/ablation';
import { validateConfig } from '../../src/shared/config';

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
