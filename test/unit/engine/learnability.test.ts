/**
 * The engine really learns: a small configuration reaches ≥ 95 % exact match on the `dates`
 * test split within the test suite (the full default run reaches ≥ 99 %; see README).
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { trainRun } from '../../../src/engine/train/trainer';
import { useTestBackend } from './helpers';

describe('learnability', function () {
  this.timeout(600_000);
  it('a small bidirectional LSTM with additive attention learns dates to ≥ 95 % exact match', async () => {
    const backend = await useTestBackend();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's2s-dates-'));
    try {
      const result = await trainRun({
        runDir: path.join(dir, 'run'), data: { task: 'dates' }, backend,
        config: { taskSize: 8000, epochs: 3, hiddenSize: 48, embeddingSize: 24, learningRate: 0.008, evalSamples: 200, patience: 0 },
      });
      process.stderr.write(`      dates: test exact match ${(result.metrics.exactMatch * 100).toFixed(2)} %, BLEU ${result.metrics.bleu.toFixed(2)}, ${Math.round(result.targetTokensPerSecond)} tok/s on ${result.backend}, ${result.seconds.toFixed(1)} s\n`);
      assert.ok(result.metrics.exactMatch >= 0.95, `exact match ${result.metrics.exactMatch}`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
