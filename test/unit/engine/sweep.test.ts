/**
 * `seq2seq-lab sweep` through the real bin script, with a tiny config (seconds per trial): the
 * trials run one after another as normal run directories, the last stdout line is the summary
 * with every trial's settings and metric, the median rule prunes a trial that learns nothing,
 * and bad sweep text fails with the setting's own rule.
 */
import { strict as assert } from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { SweepSummary } from '../../../src/shared/sweep';

const ROOT = path.join(__dirname, '..', '..', '..');
const BIN = path.join(ROOT, 'bin', 'seq2seq-lab.js');
const TINY = ['--task', 'reverse', '--set', 'taskSize=200', '--set', 'epochs=1', '--set', 'hiddenSize=8', '--set', 'embeddingSize=8', '--set', 'batchSize=16', '--set', 'evalSamples=8', '--set', 'evalEverySteps=3', '--set', 'workers=1', '--backend', 'cpu'];

function sweep(args: string[]): { status: number; stderr: string; summary: (SweepSummary & { sweep: string }) | undefined } {
  const result = spawnSync(process.execPath, [BIN, 'sweep', ...args], { encoding: 'utf8', cwd: ROOT, timeout: 300_000 });
  const lines = result.stdout.trim().split('\n');
  let summary;
  try {
    summary = JSON.parse(lines[lines.length - 1]);
  } catch {
    summary = undefined;
  }
  return { status: result.status ?? -1, stderr: result.stderr, summary };
}

describe('seq2seq-lab sweep', function () {
  this.timeout(300_000);
  let dir: string;
  before(() => {
    execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 's2s-sweep-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a grid × 2 seeds: four run directories, the summary with each trial\'s settings, metric and mean ± std per setting', () => {
    const out = path.join(dir, 'grid');
    const { status, stderr, summary } = sweep([...TINY, '--grid', 'cell=gru,rnn', '--seeds', '2', '--no-prune', '--out', out]);
    assert.equal(status, 0, stderr);
    assert.equal(summary!.sweep, out);
    assert.equal(summary!.metric, 'loss');
    assert.deepEqual(summary!.trials.map(t => [t.settings.cell, t.seed, t.state]), [['gru', 1, 'completed'], ['gru', 2, 'completed'], ['rnn', 1, 'completed'], ['rnn', 2, 'completed']]);
    for (const trial of summary!.trials) {
      assert.ok(Number.isFinite(trial.metric), `trial ${trial.index} metric`);
      const config = JSON.parse(fs.readFileSync(path.join(trial.run!, 'config.json'), 'utf8')).config;
      assert.equal(config.cell, trial.settings.cell);
      assert.equal(config.seed, trial.seed);
      assert.equal(config.hiddenSize, 8, 'the base settings reach every trial');
      assert.equal(typeof trial.test!.exactMatch, 'number');
    }
    assert.equal(summary!.groups.length, 2);
    const gru = summary!.trials.filter(t => t.settings.cell === 'gru').map(t => t.metric!);
    assert.ok(Math.abs(summary!.groups[0].mean! - (gru[0] + gru[1]) / 2) < 1e-9);
    assert.ok(Math.abs(summary!.groups[0].std! - Math.abs(gru[0] - gru[1]) / Math.SQRT2) < 1e-9);
    assert.ok(summary!.best && [0, 1].includes(summary!.best.group));
    // sweep.json holds the same summary for readers of the folder.
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(out, 'sweep.json'), 'utf8')).trials.map((t: { state: string }) => t.state), ['completed', 'completed', 'completed', 'completed']);
    // A second sweep into the same folder is refused, nothing overwritten.
    const again = sweep([...TINY, '--grid', 'cell=gru,rnn', '--out', out]);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /already holds a sweep/);
  });

  it('the median rule (on by default) stops a trial whose loss is worse than the completed trials\' median at the same step', () => {
    const out = path.join(dir, 'pruned');
    // lr 1e-7 learns nothing: at its first evaluation its loss is above the lr 0.05 trial's there.
    const { status, stderr, summary } = sweep([...TINY, '--grid', 'learningRate=0.05,1e-7', '--startup-trials', '1', '--out', out]);
    assert.equal(status, 0, stderr);
    const [good, bad] = summary!.trials;
    assert.equal(good.state, 'completed');
    assert.equal(bad.state, 'pruned');
    assert.match(bad.stopReason!, /^pruned at step 3: best loss .* is worse than the median/);
    assert.equal(bad.steps, 3);
    assert.ok(good.steps! > 3);
    assert.deepEqual(summary!.best!.settings, { learningRate: 0.05 });
  });

  it('errors: a value outside its field\'s range, and a grid with nothing swept', () => {
    const outside = sweep([...TINY, '--grid', 'hiddenSize=8,99999', '--out', path.join(dir, 'bad')]);
    assert.equal(outside.status, 2);
    assert.match(outside.stderr, /^seq2seq-lab: error: --grid hiddenSize must be between 0 and 4096 \(got 99999\)\n$/);
    const nothing = sweep([...TINY, '--grid', 'hiddenSize=8', '--out', path.join(dir, 'bad')]);
    assert.equal(nothing.status, 2);
    assert.match(nothing.stderr, /nothing is swept/);
    assert.equal(fs.existsSync(path.join(dir, 'bad')), false);
  });
});
