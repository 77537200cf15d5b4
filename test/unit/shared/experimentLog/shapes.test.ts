/** The experiment log names a run's metrics for its shape and leaves out those it has none of (BLEU for classify). */
import { strict as assert } from 'assert';
import { runCharts } from '../../../../src/shared/experimentLog/runCharts';
import { loggedMetricEntries, metricsTable, runShape } from '../../../../src/shared/experimentLog/runMarkdown';
import type { LoggedMetrics, RunCell } from '../../../../src/shared/experimentLog/types';

const logged = (exactMatch: number): LoggedMetrics => ({
  exactMatch, tokenAccuracy: exactMatch, bleu: 0, chrf: 40, perplexity: 1.5, loss: 0.4, cer: 0.3, wer: 0.3,
  teacherForcedAccuracy: 0.9, freeRunLoss: 0.4, freeRunAccuracy: 0.9, exposureGap: 0, reward: 0.8, macroF1: exactMatch - 0.1,
});

function run(shape: string | undefined): RunCell {
  return {
    kind: 'run', runDir: 'runs/x', data: { task: 'x' }, config: shape ? { shape } : {}, state: 'running', startedAt: '2026-12-03T00:00:00Z',
    progress: { step: 20, epoch: 1, totalSteps: 40, fractionDone: 0.5, smoothedLoss: 0.5 },
    metricsHistory: [{ step: 10, epoch: 0, trainLoss: 0.9, valid: logged(0.5) }, { step: 20, epoch: 1, trainLoss: 0.6, valid: logged(0.7) }],
    result: null, samples: [],
  };
}

describe('experiment log: metrics by shape', () => {
  it('reads the shape from the result, else the configuration, else seq2seq', () => {
    assert.equal(runShape(run('classify')), 'classify');
    assert.equal(runShape(run(undefined)), 'seq2seq');
    assert.equal(runShape(run('auto')), 'seq2seq', 'auto from before the shapes');
    assert.equal(runShape({ ...run('auto'), result: { shape: 'tag' } as unknown as RunCell['result'] }), 'tag');
  });

  it('lists a classify run\'s accuracy and macro-F1, not BLEU or the error rates', () => {
    const labels = loggedMetricEntries(logged(0.7), 'word', undefined, 'classify').map(e => e.label);
    assert.deepEqual(labels, ['Accuracy', 'Perplexity', 'Loss', 'Macro-F1']);
    assert.match(metricsTable(logged(0.7), 'word', undefined, 'classify'), /^\| Accuracy \| Perplexity \| Loss \| Macro-F1 \|/);
    // seq2seq keeps its columns and has no macro-F1.
    const seq = loggedMetricEntries(logged(0.7)).map(e => e.key);
    assert.ok(seq.includes('bleu') && !seq.includes('macroF1'));
  });

  it('charts a classify run\'s loss and accuracy only, its exact match named accuracy; a tag run\'s tag accuracy', () => {
    const charts = runCharts(run('classify'));
    assert.deepEqual(charts.map(c => c.id), ['loss', 'accuracy']);
    assert.deepEqual(charts[1].series.map(s => s.name), ['accuracy', 'macro-F1']);
    assert.deepEqual(runCharts(run('tag'))[1].series.map(s => s.name), ['sequence accuracy', 'tag accuracy', 'macro-F1']);
    assert.deepEqual(runCharts(run(undefined)).map(c => c.id), ['loss', 'accuracy', 'bleu', 'errorRate']);
    assert.deepEqual(runCharts(run(undefined))[1].series.map(s => s.name), ['exact match', 'token accuracy']);
  });
});
