/**
 * The three exposure-bias remedies side by side (`seq2seq-lab remedies`, src/engine/remedies.ts):
 * three sibling runs trained in order with their own settings, the RL run fine-tuned from the
 * teacher-forced one; each row is its run's best validation evaluation; the summary file; the
 * table; cancellation; the CLI end to end.
 */
import { strict as assert } from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { compareRemedies, describeRemedies, remediesFile, RemediesSummary } from '../../../src/engine/remedies';
import { RunDirectory } from '../../../src/engine/train/runDir';
import type { Seq2SeqConfig } from '../../../src/shared/config';
import { useTestBackend } from './helpers';

const ROOT = path.join(__dirname, '..', '..', '..');
const BIN = path.join(ROOT, 'bin', 'seq2seq-lab.js');
const BASE: Partial<Seq2SeqConfig> = {
  taskSize: 160, embeddingSize: 8, hiddenSize: 12, batchSize: 16, epochs: 2, evalSamples: 10, evalEverySteps: 4,
  maxDecodeLength: 10, validFraction: 0.1, testFraction: 0.1, workers: 1,
  // The user's settings reach every run: a schedule's own setting, and a training setting the fine-tune may change.
  samplingDecay: 40, clipNorm: 2.5,
};

describe('remedies: teacher forcing vs scheduled sampling vs RL fine-tuning', function () {
  this.timeout(600_000);
  let backend: string;
  let root: string;
  let summary: RemediesSummary;
  const started: string[] = [];
  before(async () => {
    backend = await useTestBackend();
    root = fs.mkdtempSync(path.join(os.tmpdir(), 's2s-remedies-'));
    summary = await compareRemedies({
      runsDir: root, name: 'rev', data: { task: 'reverse' }, base: BASE, rl: { epochs: 1, rlSamples: 2 }, backend,
      onStart: remedy => started.push(remedy),
    });
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('trains the three runs in order, each with its remedy, the RL run from the teacher-forced one', () => {
    assert.deepEqual(started, ['teacher-forcing', 'scheduled-sampling', 'rl']);
    const config = (remedy: string) => new RunDirectory(path.join(root, `rev-${remedy}`)).readConfig() as { config: Seq2SeqConfig; finetunedFrom?: { run: string } };
    const tf = config('teacher-forcing');
    const ss = config('scheduled-sampling');
    const rl = config('rl');
    assert.equal(tf.config.scheduledSampling, 'none');
    assert.equal(tf.config.objective, 'xent');
    assert.equal(ss.config.scheduledSampling, 'linear');
    assert.equal(ss.config.samplingFloor, 0.5);
    assert.equal(ss.config.samplingDecay, 40, 'the user\'s samplingDecay, not the remedy\'s default');
    assert.equal(rl.config.clipNorm, 2.5);
    assert.equal(rl.config.learningRate, 3e-4, 'the fine-tune\'s own learning rate');
    assert.equal(ss.config.hiddenSize, 12, 'the base settings reach every run');
    assert.equal(rl.config.objective, 'rl');
    assert.equal(rl.config.epochs, 1, 'the RL run\'s own epochs');
    assert.equal(rl.config.rlSamples, 2);
    assert.equal(path.resolve(rl.finetunedFrom!.run), path.join(root, 'rev-teacher-forcing'));
    for (const remedy of ['teacher-forcing', 'scheduled-sampling', 'rl']) {
      assert.equal(new RunDirectory(path.join(root, `rev-${remedy}`)).readManifest().state, 'completed');
    }
  });

  it('each row is its run\'s best validation evaluation, gap = free-running − teacher-forced loss', () => {
    assert.deepEqual(summary.rows.map(r => r.remedy), ['teacher-forcing', 'scheduled-sampling', 'rl']);
    for (const row of summary.rows) {
      const metrics = new RunDirectory(row.run).readMetrics().filter(r => r.split === 'valid');
      const best = metrics.filter(r => r.best).pop()!;
      assert.equal(row.step, best.step);
      assert.equal(row.loss, best.loss);
      assert.ok(Number.isFinite(row.freeRunLoss) && Number.isFinite(row.exposureGap) && Number.isFinite(row.freeRunAccuracy));
      assert.ok(Math.abs(row.exposureGap - (row.freeRunLoss - row.loss)) < 1e-6, `${row.remedy}: gap ${row.exposureGap} vs ${row.freeRunLoss} − ${row.loss}`);
    }
  });

  it('writes the summary next to the runs and prints one line per remedy', () => {
    const saved = JSON.parse(fs.readFileSync(path.join(root, remediesFile('rev')), 'utf8')) as RemediesSummary;
    assert.deepEqual(saved.rows.map(r => r.remedy), ['teacher-forcing', 'scheduled-sampling', 'rl']);
    assert.deepEqual(saved.data, { task: 'reverse' });
    const table = describeRemedies(saved.rows);
    assert.equal(table.length, 4);
    assert.match(table[0], /exposure gap/);
    assert.match(table[3], /^RL fine-tuning\s/);
    assert.ok(table[1].includes(saved.rows[0].exposureGap.toFixed(4)));
  });

  it('refuses to overwrite an earlier comparison of the same name', async () => {
    await assert.rejects(compareRemedies({ runsDir: root, name: 'rev', data: { task: 'reverse' }, base: BASE, backend }), /already exists; choose another name/);
    await assert.rejects(compareRemedies({ runsDir: root, name: '../x', data: { task: 'reverse' }, base: BASE, backend }), /the name must be/);
  });

  it('keeps teacher forcing free of a schedule the user asked for, and gives it to scheduled sampling', async () => {
    const summary = await compareRemedies({
      runsDir: root, name: 'sched', data: { task: 'reverse' }, base: { ...BASE, scheduledSampling: 'exponential', samplingDecay: 0.99 }, backend,
      isCancelled: () => fs.existsSync(path.join(root, 'sched-rl')),
    });
    const config = (remedy: string) => new RunDirectory(path.join(root, `sched-${remedy}`)).readConfig().config;
    assert.equal(config('teacher-forcing').scheduledSampling, 'none');
    assert.equal(config('scheduled-sampling').scheduledSampling, 'exponential');
    assert.ok(summary.rows.length >= 2);
  });

  it('cancelling during the first run stops the comparison after it', async () => {
    let steps = 0;
    const result = await compareRemedies({
      runsDir: root, name: 'cancel', data: { task: 'reverse' }, base: BASE, backend,
      onProgress: (_remedy, event) => void (event.kind === 'step' && steps++),
      isCancelled: () => steps >= 2,
    });
    assert.deepEqual(result.rows.map(r => [r.remedy, r.state]), [['teacher-forcing', 'cancelled']]);
    assert.ok(!fs.existsSync(path.join(root, 'cancel-scheduled-sampling')));
    assert.ok(!fs.existsSync(path.join(root, 'cancel-rl')));
  });
});

describe('seq2seq-lab remedies (CLI)', function () {
  this.timeout(600_000);
  let root: string;
  before(() => {
    execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
    root = fs.mkdtempSync(path.join(os.tmpdir(), 's2s-remedies-cli-'));
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('trains the three runs with --epochs and --rl-epochs and prints the summary as its last line', () => {
    const settings = ['taskSize=160', 'embeddingSize=8', 'hiddenSize=12', 'batchSize=16', 'evalSamples=10', 'evalEverySteps=4', 'workers=1'].flatMap(s => ['--set', s]);
    const result = spawnSync(process.execPath, [BIN, 'remedies', '--task', 'reverse', '--out', root, '--name', 'cli', '--epochs', '1', '--rl-epochs', '1', ...settings], { encoding: 'utf8', cwd: ROOT, timeout: 500_000 });
    assert.equal(result.status, 0, result.stderr);
    const last = JSON.parse(result.stdout.trim().split('\n').pop()!) as RemediesSummary & { remedies: string };
    assert.equal(last.remedies, path.join(root, remediesFile('cli')));
    assert.deepEqual(last.rows.map(r => r.state), ['completed', 'completed', 'completed']);
    assert.equal(new RunDirectory(path.join(root, 'cli-teacher-forcing')).readConfig().config.epochs, 1);
    assert.equal(new RunDirectory(path.join(root, 'cli-rl')).readConfig().config.epochs, 1);
    assert.match(result.stderr, /== scheduled sampling: /);
    assert.match(result.stderr, /exposure gap/);
  });

  it('is a usage error without data, or with a bad --epochs or --name', () => {
    for (const args of [['remedies'], ['remedies', '--task', 'reverse', '--epochs', '0'], ['remedies', '--task', 'reverse', '--name', 'a/b']]) {
      const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: ROOT });
      assert.equal(result.status, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, /seq2seq-lab: error: (remedies needs exactly one|--epochs must be|--name: )/);
    }
  });
});
