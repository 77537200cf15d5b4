/** The run comparison's pure logic: differing hyperparameters, row order, curves, labels. */
import { strict as assert } from 'assert';
import type { RunSummary } from '../../../src/shared/diffsProtocol';
import { bestOf, configRows, CURVE_METRICS, curvePoints, differingKeys, formatValue, metricShown, runLabels, sharedShape, targetUnitOf } from '../../../webview/compare/model';

const metrics = (exactMatch: number) => ({ exactMatch, tokenAccuracy: 0.9, bleu: 50, chrf: 60, cer: 0.1, wer: 0.2, perplexity: 1.5, loss: Math.log(1.5), teacherForcedAccuracy: 0.95, freeRunLoss: 0.6, freeRunAccuracy: 0.9, exposureGap: 0.6 - Math.log(1.5), reward: 0.5, macroF1: NaN });

describe('run comparison model', () => {
  it('finds the differing hyperparameters, a missing key included', () => {
    const a = { cell: 'lstm', hiddenSize: 64, bidirectional: true, seed: 1 };
    const b = { cell: 'gru', hiddenSize: 64, bidirectional: true, seed: 1 };
    const c = { cell: 'lstm', hiddenSize: 64, bidirectional: false };
    assert.deepEqual([...differingKeys([a, b])], ['cell']);
    assert.deepEqual([...differingKeys([a, b, c])].sort(), ['bidirectional', 'cell', 'seed']);
    assert.deepEqual([...differingKeys([a])], []);
    assert.equal(formatValue(undefined), '—');
    assert.equal(formatValue(0.5), '0.5');
  });

  it('orders rows as the schema does, differing first on request, unknown keys last', () => {
    const rows = configRows([{ zzz: 1, hiddenSize: 64, cell: 'lstm' }, { zzz: 1, hiddenSize: 32, cell: 'lstm' }]);
    assert.deepEqual(rows.map(r => r.key), ['cell', 'hiddenSize', 'zzz']);
    assert.deepEqual(rows.map(r => r.label), ['Cell', 'Hidden size', 'zzz']);
    assert.deepEqual(configRows([{ cell: 'lstm', hiddenSize: 64 }, { cell: 'lstm', hiddenSize: 32 }], true).map(r => [r.key, r.differs]), [['hiddenSize', true], ['cell', false]]);
  });

  it('draws one line per run from its evaluations, and short labels', () => {
    const run = (name: string, curve: number[]): RunSummary => ({ name, runDir: `/runs/${name}`, state: 'completed', config: {}, data: 'task dates', curves: curve.map((v, i) => ({ step: (i + 1) * 10, metrics: metrics(v) })) });
    const runs = [run('ablation-gru-20261130-101500', [0.1, 0.5]), run('ablation-rnn-20261130-101600', [0.05, NaN, 0.2])];
    assert.deepEqual(curvePoints(runs, 'exactMatch'), [[{ x: 10, y: 0.1 }, { x: 20, y: 0.5 }], [{ x: 10, y: 0.05 }, { x: 30, y: 0.2 }]]);
    assert.deepEqual(runLabels(runs), ['ablation-gru', 'ablation-rnn']);
    assert.deepEqual(runLabels([run('dates-20261130-101500', []), run('dates-20261130-101501', [])]), ['dates-20261130-101500', 'dates-20261130-101501']);
  });

  it('continues a fine-tuned run\'s curve from its source\'s step when the source is compared too', () => {
    const run = (name: string, steps: number[], finetunedFrom?: RunSummary['finetunedFrom']): RunSummary => ({ name, runDir: `/runs/${name}`, state: 'completed', config: {}, data: 'task dates', curves: steps.map(step => ({ step, metrics: metrics(0.5) })), ...(finetunedFrom ? { finetunedFrom } : {}) });
    const tf = run('tf', [20, 40]);
    const rl = run('rl', [0, 10], { run: '/runs/tf', step: 40 });
    const rl2 = run('rl2', [0, 5], { run: '/runs/rl', step: 10 });
    assert.deepEqual(curvePoints([tf, rl], 'exactMatch').map(line => line.map(p => p.x)), [[20, 40], [40, 50]]);
    assert.deepEqual(curvePoints([tf, rl, rl2], 'exactMatch')[2].map(p => p.x), [50, 55], 'a fine-tune of a fine-tune adds both offsets');
    assert.deepEqual(curvePoints([rl], 'exactMatch')[0].map(p => p.x), [0, 10], 'without its source, its own steps');
    assert.deepEqual(curvePoints([tf, run('rl', [0], { run: '/runs/tf' })], 'exactMatch')[1].map(p => p.x), [0], 'no step recorded: no offset');
  });

  it('picks the best value by the metric\'s direction, and no best when the runs agree', () => {
    assert.equal(bestOf([0.5, 0.9, undefined], 'exactMatch'), 0.9);
    assert.equal(bestOf([0.3, 0.1, NaN], 'cer'), 0.1, 'lower is better for error rates');
    assert.equal(bestOf([0.2, 0.4], 'loss'), 0.2);
    assert.equal(bestOf([0.5, 0.5], 'bleu'), undefined);
    assert.equal(bestOf([undefined, 0.5], 'wer'), undefined);
  });

  it('charts the error rates, and names WER PER only when every run has phoneme targets', () => {
    assert.ok(CURVE_METRICS.some(m => m.key === 'cer') && CURVE_METRICS.some(m => m.key === 'wer'));
    const run = (targetUnit?: 'phoneme' | 'word'): RunSummary => ({ name: 'r', runDir: '/r', state: 'completed', config: {}, data: '', curves: [], ...(targetUnit ? { targetUnit } : {}) });
    assert.equal(targetUnitOf([run('phoneme'), run('phoneme')]), 'phoneme');
    assert.equal(targetUnitOf([run('phoneme'), run()]), 'word');
    assert.equal(targetUnitOf([]), 'word');
  });

  it('shows only the metrics of the runs\' shapes, named for a shape they share', () => {
    const run = (name: string, shape?: 'classify' | 'tag'): RunSummary => ({ name, runDir: `/runs/${name}`, state: 'completed', config: {}, data: 'task x', curves: [], ...(shape ? { shape } : {}) });
    const classify = [run('a', 'classify'), run('b', 'classify')];
    assert.equal(metricShown('bleu', classify), false);
    assert.equal(metricShown('cer', classify), false);
    assert.equal(metricShown('macroF1', classify), true);
    assert.equal(metricShown('exactMatch', classify), true);
    assert.equal(sharedShape(classify), 'classify');
    // Mixed shapes: the union of their metrics, no shared name.
    const mixed = [run('a', 'classify'), run('c')];
    assert.equal(metricShown('bleu', mixed), true);
    assert.equal(sharedShape(mixed), undefined);
    assert.equal(sharedShape([run('c')]), 'seq2seq', 'runs before the shapes are seq2seq');
    assert.equal(metricShown('macroF1', [run('c')]), false);
    assert.ok(CURVE_METRICS.some(m => m.key === 'macroF1'));
  });
});
