/**
 * "Compare Exposure-Bias Remedies" from a completed teacher-forced run: a scheduled-sampling run
 * with the same data and settings (decaying over half the source's steps), then an RL fine-tune
 * of the source, both through the training controller (a fake engine records the requests),
 * then Compare Runs on the three. Refuses runs that are not teacher-forced or not completed.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { COMPARE_VIEW_TYPE } from '../../../../src/shared/diffsProtocol';
import type { TrainRequest } from '../../../../src/shared/protocol';
import { RL_REMEDY, SCHEDULED_SAMPLING_REMEDY } from '../../../../src/shared/remedies';
import { commandVscode, createFakeVscode, installFakeVscode } from '../fakeVscode';

const ROOT = path.join(__dirname, '..', '..', '..', '..');
const noops = <T extends object>(known: T): T => new Proxy(known, { get: (target, key) => (key in target ? (target as Record<string | symbol, unknown>)[key] : () => undefined) });

describe('Runs view: Compare Exposure-Bias Remedies', () => {
  const { api, created } = createFakeVscode();
  const warnings: string[] = [];
  const errors: string[] = [];
  const fake = commandVscode(api, { warnings, errors });
  let uninstall: () => void;
  const requests: TrainRequest.Params[] = [];
  let failNext: string | undefined;
  let services: unknown;
  let compareRemediesFrom: (s: never, dir: string | undefined) => Promise<string[] | undefined>;
  let root: string;

  /** A run directory as the engine leaves it: manifest, config.json, one validation line at `step`. */
  function run(name: string, state: string, config: Record<string, unknown>, step = 180): string {
    const dir = path.join(root, name);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ format: 1, state, createdAt: 'a', updatedAt: 'a', backend: 'wasm', step, epoch: 3, best: null }));
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ config, data: { task: 'reverse' }, engineVersion: '0.1.0' }));
    fs.writeFileSync(path.join(dir, 'metrics.jsonl'), JSON.stringify({ step, epoch: 3, split: 'valid', exactMatch: 0.5, tokenAccuracy: 0.9, bleu: 50, chrf: 60, perplexity: 2, loss: 0.7, best: true }) + '\n');
    return dir;
  }

  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 's2s-remedies-cmd-'));
    uninstall = installFakeVscode(fake);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { TrainingController } = require('../../../../src/extension/training/trainingController');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    compareRemediesFrom = require('../../../../src/extension/commands/remedies').compareRemediesFrom;
    const engine = noops({
      onProgress: () => ({ dispose() {} }),
      train: async (params: TrainRequest.Params) => {
        requests.push(params);
        if (failNext) throw new Error(failNext);
        return { run: params.runDir, state: 'completed', stopReason: 'finished all epochs', metrics: { exactMatch: 1 } };
      },
    });
    const runs = noops({ newRunDir: (label: string) => path.join(root, `${label}-1`) });
    const training = new TrainingController({ engine, runs, statusBar: noops({}), log: noops({}), defaults: () => ({ maxMinutes: 5 }), onCompleted: () => undefined });
    const extensionUri = { path: '/ext', toString: () => '/ext' };
    services = { runs, training, log: noops({}), panels: { extensionUri, training, runs, engine: {}, models: { current: async () => undefined }, queue: {} } };
  });
  after(() => {
    uninstall();
    fs.rmSync(root, { recursive: true, force: true });
  });
  beforeEach(() => {
    requests.length = 0;
    warnings.length = 0;
    errors.length = 0;
    failNext = undefined;
  });

  it('trains scheduled sampling with the run\'s settings, then an RL fine-tune of it, and compares the three', async () => {
    const source = run('rev', 'completed', { hiddenSize: 24, epochs: 3, scheduledSampling: 'none', objective: 'xent', evalSamples: 30 });
    const compared = await compareRemediesFrom(services as never, source);
    assert.deepEqual(errors, []);
    assert.equal(requests.length, 2);
    const [ss, rl] = requests;
    assert.deepEqual(ss.config, { maxMinutes: 5, hiddenSize: 24, epochs: 3, objective: 'xent', evalSamples: 30, ...SCHEDULED_SAMPLING_REMEDY, samplingDecay: 90 }, 'the source\'s settings, the schedule over half its 180 steps');
    assert.equal(ss.task, 'reverse');
    assert.equal(ss.finetuneFrom, undefined);
    assert.equal(rl.finetuneFrom, source);
    assert.deepEqual(rl.config, { ...RL_REMEDY, evalSamples: 30, evalEverySteps: undefined });
    assert.deepEqual(compared, [source, path.join(root, 'rev-scheduled-sampling-1'), path.join(root, 'rev-rl-1')]);
    assert.ok(created.some(p => p.viewType === COMPARE_VIEW_TYPE), 'Compare Runs opened');
  });

  it('stops after a scheduled-sampling run that failed, with the reason', async () => {
    const source = run('rev2', 'completed', { scheduledSampling: 'none', objective: 'xent' });
    failNext = 'disk full';
    const compared = await compareRemediesFrom(services as never, source);
    assert.equal(requests.length, 1, 'no RL fine-tune after a failed scheduled-sampling run');
    assert.match(errors.join('\n'), /Remedies stopped: .*disk full/);
    assert.equal(compared?.[0], source);
  });

  it('refuses a run that is not teacher-forced or not completed, training nothing', async () => {
    await compareRemediesFrom(services as never, run('rl', 'completed', { objective: 'rl', scheduledSampling: 'none' }));
    await compareRemediesFrom(services as never, run('ss', 'completed', { objective: 'xent', scheduledSampling: 'linear' }));
    await compareRemediesFrom(services as never, run('stopped', 'cancelled', { objective: 'xent', scheduledSampling: 'none' }));
    assert.equal(requests.length, 0);
    assert.match(warnings[0], /cannot be compared from rl: it was trained with RL/);
    assert.match(warnings[1], /from ss: it already uses scheduled sampling/);
    assert.match(warnings[2], /from stopped: only a completed run can be \(state: cancelled\)/);
  });

  it('is on the context menu of completed runs and in the palette', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const item = manifest.contributes.menus['view/item/context'].find((m: { command: string }) => m.command === 'seq2seqLab.compareRemedies');
    assert.match(item.when, /view == seq2seqLab\.runs && viewItem == run\.completed/);
    assert.equal(manifest.contributes.menus.commandPalette.find((m: { command: string }) => m.command === 'seq2seqLab.compareRemedies').when, 'isWorkspaceTrusted');
  });
});
