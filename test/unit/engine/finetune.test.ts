/**
 * Fine-tuning a trained run (`finetuneFrom`) with self-critical sequence training (objective
 * rl): a new run from the source's best checkpoint whose validation reward rises above the
 * starting checkpoint's; the objective changes what a step minimises; the CLI refuses a
 * missing source and a change of the model's shape.
 */
import { strict as assert } from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { trainRun } from '../../../src/engine/train/trainer';
import { RunDirectory } from '../../../src/engine/train/runDir';
import type { ProgressEvent } from '../../../src/shared/protocol';
import type { Seq2SeqConfig } from '../../../src/shared/config';
import { useTestBackend } from './helpers';

const ROOT = path.join(__dirname, '..', '..', '..');
const SOURCE: Partial<Seq2SeqConfig> = {
  taskSize: 300, embeddingSize: 16, hiddenSize: 24, batchSize: 16, epochs: 25, evalSamples: 30, patience: 0,
  maxDecodeLength: 12, validFraction: 0.1, testFraction: 0.1, workers: 1, annealFraction: 0,
};
const FINETUNE: Partial<Seq2SeqConfig> = { rlReward: 'bleu', rlSamples: 4, epochs: 4, learningRate: 0.0003, evalEverySteps: 5 };

describe('fine-tuning with RL (--finetune-from, objective rl)', function () {
  this.timeout(600_000);
  let backend: string;
  let root: string;
  let source: string;
  before(async () => {
    backend = await useTestBackend();
    root = fs.mkdtempSync(path.join(os.tmpdir(), 's2s-finetune-'));
    source = path.join(root, 'source');
    await trainRun({ runDir: source, data: { task: 'reverse' }, config: SOURCE, backend });
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('starts from the best checkpoint, records where from, and raises the validation reward', async () => {
    const dir = path.join(root, 'rl');
    const steps: Array<Extract<ProgressEvent, { kind: 'step' }>> = [];
    await trainRun({ runDir: dir, finetuneFrom: source, config: { ...FINETUNE, objective: 'rl' }, backend, onProgress: e => void (e.kind === 'step' && steps.push(e)) });
    const run = new RunDirectory(dir);
    const saved = run.readConfig();
    assert.equal(saved.finetunedFrom?.run, source);
    assert.equal(run.readManifest().finetunedFrom, source);
    assert.equal(saved.config.objective, 'rl');
    assert.equal(saved.config.hiddenSize, 24, 'the model settings are the source run\'s');
    assert.equal(saved.config.earlyStoppingMetric, 'reward');
    const valid = run.readMetrics().filter(r => r.split === 'valid');
    // The first evaluation, at step 0, scores the starting checkpoint: the source's best.
    assert.equal(valid[0].step, 0);
    const sourceBest = new RunDirectory(source).readMetrics().filter(r => r.split === 'valid' && r.best).pop()!;
    assert.ok(Math.abs((valid[0].loss as number) - (sourceBest.loss as number)) < 1e-4, `start loss ${valid[0].loss} vs the source's best ${sourceBest.loss}`);
    const start = valid[0].reward as number;
    const best = run.readManifest().best!;
    assert.equal(best.metric, 'reward');
    assert.ok(best.value > start + 0.01, `validation reward: best ${best.value} vs ${start} at the start`);
    assert.ok(best.step > 0);
    // Each step reports the mean reward of its samples and of the greedy baseline.
    assert.ok(steps.length > 0 && steps.every(s => s.reward && Number.isFinite(s.reward.sampled) && Number.isFinite(s.reward.greedy)));
  });

  it('objective rl changes what a step minimises (same start, same batches, xent vs rl)', async () => {
    const losses = async (objective: 'xent' | 'rl') => {
      const steps: Array<Extract<ProgressEvent, { kind: 'step' }>> = [];
      await trainRun({ runDir: path.join(root, `one-${objective}`), finetuneFrom: source, config: { ...FINETUNE, objective, epochs: 1, earlyStoppingMetric: 'loss' }, backend, onProgress: e => void (e.kind === 'step' && steps.push(e)) });
      return steps;
    };
    const xent = await losses('xent');
    const rl = await losses('rl');
    assert.ok(xent.every(s => s.reward === undefined), 'xent steps carry no reward');
    assert.ok(xent[0].loss > 0, 'cross-entropy is positive');
    assert.notEqual(rl[0].loss.toFixed(6), xent[0].loss.toFixed(6));
    const rlRun = new RunDirectory(path.join(root, 'one-rl')).readMetrics().filter(r => r.split === 'valid');
    const xentRun = new RunDirectory(path.join(root, 'one-xent')).readMetrics().filter(r => r.split === 'valid');
    assert.equal(rlRun[0].loss, xentRun[0].loss, 'both start from the same checkpoint');
    assert.notEqual(rlRun[rlRun.length - 1].loss, xentRun[xentRun.length - 1].loss, 'and end elsewhere');
  });

  it('refuses to change the model shape or the data', async () => {
    await assert.rejects(trainRun({ runDir: path.join(root, 'bad'), finetuneFrom: source, config: { objective: 'rl', hiddenSize: 32, taskSize: 100 }, backend }), /cannot change hiddenSize, taskSize when fine-tuning/);
    assert.ok(!fs.existsSync(path.join(root, 'bad')), 'no run directory is left behind');
    // Giving a model setting its source value is no change.
    await assert.rejects(trainRun({ runDir: path.join(root, 'bad2'), finetuneFrom: source, config: { hiddenSize: 24, seed: 5 }, backend }), /cannot change seed when fine-tuning/);
  });

  it('CLI: a missing or incompatible --finetune-from is one clear error line', () => {
    execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'ignore' });
    const cli = (args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'bin', 'seq2seq-lab.js'), ...args], { encoding: 'utf8', cwd: ROOT, timeout: 300_000 });
    const missing = cli(['train', '--finetune-from', path.join(root, 'nothing-here'), '--objective', 'rl']);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /^seq2seq-lab: error: --finetune-from .*nothing-here: no run there \(manifest\.json missing\)\n$/);
    const shape = cli(['train', '--finetune-from', source, '--objective', 'rl', '--set', 'cell=gru', '--out', path.join(root, 'cli-bad')]);
    assert.equal(shape.status, 1);
    assert.match(shape.stderr, /^seq2seq-lab: error: cannot change cell when fine-tuning/);
    const withTask = cli(['train', '--finetune-from', source, '--task', 'dates']);
    assert.equal(withTask.status, 2);
    assert.match(withTask.stderr, /--finetune-from takes the source run directory/);
    const badObjective = cli(['train', '--finetune-from', source, '--objective', 'reinforce', '--out', path.join(root, 'cli-bad2')]);
    assert.notEqual(badObjective.status, 0);
    assert.match(badObjective.stderr, /objective must be one of xent, rl/);
  });
});
