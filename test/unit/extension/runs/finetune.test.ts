/**
 * "Fine-tune with RL" in the Runs view: the context-menu entry on completed runs, and the
 * command that asks for the reward and learning rate and starts a new run from the chosen run's
 * best checkpoint through the training controller (a fake engine records the request).
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { TrainRequest } from '../../../../src/shared/protocol';
import { commandVscode, createFakeVscode, installFakeVscode } from '../fakeVscode';

const ROOT = path.join(__dirname, '..', '..', '..', '..');

/** An object whose every unknown property is a no-op function. */
const noops = <T extends object>(known: T): T => new Proxy(known, { get: (target, key) => (key in target ? (target as Record<string | symbol, unknown>)[key] : () => undefined) });

describe('Runs view: Fine-tune with RL', () => {
  const { api } = createFakeVscode();
  const warnings: string[] = [];
  const answers = { reward: 'exact' as string | undefined, rate: '0.001' as string | undefined };
  const fake = commandVscode(api, { warnings }, {
    showQuickPick: async (items: Array<{ label: string }>) => items.find(i => i.label === answers.reward),
    showInputBox: async (options: { validateInput: (v: string) => string | undefined }) => {
      assert.equal(options.validateInput('0'), 'Enter a number above 0 and at most 10.');
      assert.equal(options.validateInput('0.01'), undefined);
      return answers.rate;
    },
  });
  let uninstall: () => void;
  let requests: TrainRequest.Params[];
  let services: unknown;
  let finetuneWithRl: (s: never, dir: string | undefined) => Promise<void>;
  const states: Record<string, string> = { '/runs/rev': 'completed', '/runs/stopped': 'cancelled' };

  before(() => {
    uninstall = installFakeVscode(fake);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { TrainingController } = require('../../../../src/extension/training/trainingController');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    finetuneWithRl = require('../../../../src/extension/commands/runs').finetuneWithRl;
    requests = [];
    const engine = noops({
      onProgress: () => ({ dispose() {} }),
      train: async (params: TrainRequest.Params) => {
        requests.push(params);
        return { run: params.runDir, state: 'completed', stopReason: 'finished all epochs', metrics: { exactMatch: 1 } };
      },
    });
    const runs = noops({ newRunDir: (label: string) => `/runs/${label}-1`, get: async (dir: string) => (states[dir] ? { dir, state: states[dir] } : undefined) });
    const training = new TrainingController({ engine, runs, statusBar: noops({}), log: noops({}), defaults: () => ({ maxMinutes: 5 }), onCompleted: () => undefined });
    services = { runs, training, log: noops({}) };
  });
  after(() => uninstall());
  beforeEach(() => {
    requests.length = 0;
    warnings.length = 0;
    answers.reward = 'exact';
    answers.rate = '0.001';
  });

  it('starts a new run from the completed run with objective rl, the reward and learning rate asked for', async () => {
    await finetuneWithRl(services as never, '/runs/rev');
    assert.equal(requests.length, 1);
    const [request] = requests;
    assert.equal(request.finetuneFrom, path.resolve('/runs/rev'));
    assert.equal(request.runDir, path.resolve('/runs/rev-rl-1'));
    assert.deepEqual(request.config, { objective: 'rl', rlReward: 'exact', learningRate: 0.001 });
    assert.equal(request.resume, undefined);
    assert.deepEqual(warnings, []);
  });

  it('starts nothing for a run that is not completed, or when a question is dismissed', async () => {
    await finetuneWithRl(services as never, '/runs/stopped');
    assert.match(warnings[0], /stopped cannot be fine-tuned: only a completed run can \(state: cancelled\)/);
    answers.reward = undefined;
    await finetuneWithRl(services as never, '/runs/rev');
    answers.reward = 'bleu';
    answers.rate = undefined;
    await finetuneWithRl(services as never, '/runs/rev');
    assert.equal(requests.length, 0);
  });

  it('is on the context menu of completed runs in the Runs view, not in the palette', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const item = manifest.contributes.menus['view/item/context'].find((m: { command: string }) => m.command === 'seq2seqLab.finetuneRun');
    assert.match(item.when, /view == seq2seqLab\.runs && viewItem == run\.completed/);
    const palette = manifest.contributes.menus.commandPalette.find((m: { command: string }) => m.command === 'seq2seqLab.finetuneRun');
    assert.equal(palette.when, 'false');
    assert.ok(manifest.contributes.commands.some((c: { command: string; title: string }) => c.command === 'seq2seqLab.finetuneRun' && c.title === '%command.finetuneRun%'));
  });
});
