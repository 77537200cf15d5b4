/**
 * The anneal to the budget, through the trainer: with the epochs set, the rate each evaluation
 * records follows peak × min(1, (1 − step/total) / fraction); with `auto` epochs (only an upper
 * bound for early stopping) and no time limit there is no budget, so nothing anneals.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { trainRun } from '../../../src/engine/train/trainer';
import { RunDirectory } from '../../../src/engine/train/runDir';
import type { Seq2SeqConfig } from '../../../src/shared/config';
import { useTestBackend } from './helpers';

const TINY: Partial<Seq2SeqConfig> = {
  taskSize: 200, embeddingSize: 8, hiddenSize: 8, batchSize: 16, evalEverySteps: 3, evalSamples: 4, patience: 0,
  learningRate: 0.01, lrDecay: 'none', maxDecodeLength: 8, validFraction: 0.1, testFraction: 0.1, workers: 1,
};

describe('engine: anneal the learning rate to the budget', function () {
  this.timeout(300_000);
  let backend: string;
  let root: string;
  before(async () => {
    backend = await useTestBackend();
    root = fs.mkdtempSync(path.join(os.tmpdir(), 's2s-anneal-'));
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  const rates = (dir: string) => new RunDirectory(dir).readMetrics().filter(m => m.split === 'valid').map(m => [m.step as number, m.learningRate as number]);

  it('falls linearly over the last half of the set epochs', async () => {
    const dir = path.join(root, 'set');
    const result = await trainRun({ runDir: dir, data: { task: 'reverse' }, config: { ...TINY, epochs: 2, annealFraction: 0.5 }, backend });
    const total = result.steps;
    const seen = rates(dir);
    assert.ok(seen.length >= 4, `${seen.length} evaluations`);
    for (const [step, rate] of seen) {
      const expected = 0.01 * Math.min(1, (1 - step / total) / 0.5);
      assert.ok(Math.abs(rate - expected) < 1e-9, `step ${step}/${total}: ${rate} ≠ ${expected}`);
    }
    assert.ok(seen.some(([, rate]) => rate < 0.01 * 0.6), 'it did anneal');
  });

  it('does not anneal when auto chose the epochs and there is no time limit', async () => {
    const dir = path.join(root, 'auto');
    await trainRun({ runDir: dir, data: { task: 'reverse' }, config: { ...TINY, epochs: 0, annealFraction: 0.5 }, backend, stopAfterSteps: 12 });
    const seen = rates(dir);
    assert.ok(seen.length >= 3);
    assert.ok(seen.every(([, rate]) => rate === 0.01), JSON.stringify(seen));
  });
});
