/** The Runs view and its item actions: open (dashboard from history), resume, fine-tune with RL, delete. */
import * as path from 'path';
import * as vscode from 'vscode';
import { CONFIG_FIELDS, type RewardType } from '../../shared/config';
import { COMMANDS, RUNS_VIEW } from '../commandIds';
import { RunsTreeProvider } from '../runs/runsTree';
import type { RunInfo } from '../runs/runStore';
import type { Services } from '../services';
import { describeError } from '../training/notify';
import { openDashboard, resumeTraining } from './train';
import { requireTrust } from './trust';

/** A command argument: a tree item's RunInfo or a run directory path. */
function runDirOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  const dir = (arg as RunInfo | undefined)?.dir;
  return typeof dir === 'string' ? dir : undefined;
}

export function registerRunsView(s: Services): vscode.Disposable[] {
  const provider = new RunsTreeProvider(s.runs);
  const view = vscode.window.createTreeView(RUNS_VIEW, { treeDataProvider: provider, showCollapseAll: false, canSelectMany: true });
  return [
    provider,
    view,
    vscode.commands.registerCommand(COMMANDS.refreshRuns, () => s.runs.refresh()),
    vscode.commands.registerCommand(COMMANDS.openRun, (arg: unknown) => {
      const dir = runDirOf(arg);
      return dir ? openDashboard(s, dir) : undefined;
    }),
    vscode.commands.registerCommand(COMMANDS.resumeRun, (arg: unknown) => resumeTraining(s, runDirOf(arg))),
    vscode.commands.registerCommand(COMMANDS.finetuneRun, (arg: unknown) => finetuneWithRl(s, runDirOf(arg))),
    vscode.commands.registerCommand(COMMANDS.deleteRun, (arg: unknown) => deleteRun(s, runDirOf(arg))),
  ];
}

/** The learning rate a fine-tuning starts with unless the user types another (see README, RL fine-tuning). */
export const FINETUNE_LEARNING_RATE = 0.0003;

/**
 * "Fine-tune with RL": asks for the reward and the learning rate, then starts a new run from a
 * completed run's best checkpoint with objective rl, through the training controller.
 */
export async function finetuneWithRl(s: Services, runDir: string | undefined): Promise<void> {
  if (!runDir || !requireTrust()) return;
  const dir = path.resolve(runDir);
  const run = await s.runs.get(dir);
  if (!run || run.state !== 'completed') {
    void vscode.window.showWarningMessage(vscode.l10n.t('{0} cannot be fine-tuned: only a completed run can (state: {1}).', path.basename(dir), run?.state ?? vscode.l10n.t('not a run')));
    return;
  }
  const title = vscode.l10n.t('Fine-tune with RL');
  const rewardField = CONFIG_FIELDS.find(f => f.key === 'rlReward');
  const rewards = rewardField?.type === 'enum' ? rewardField.options : [];
  const reward = await vscode.window.showQuickPick(rewards.map(option => ({ label: option })), { title, placeHolder: vscode.l10n.t('Reward of the sampled outputs (self-critical sequence training)') });
  if (!reward) return;
  const rate = await vscode.window.showInputBox({
    title,
    prompt: vscode.l10n.t('Learning rate of the fine-tuning'),
    value: String(FINETUNE_LEARNING_RATE),
    validateInput: value => (Number(value) > 0 && Number(value) <= 10 ? undefined : vscode.l10n.t('Enter a number above 0 and at most 10.')),
  });
  if (rate === undefined) return;
  try {
    const outcome = await s.training.finetune(dir, { objective: 'rl', rlReward: reward.label as RewardType, learningRate: Number(rate) });
    if (outcome.error) s.log.warn(`fine-tune ${dir}: ${describeError(outcome.error)}`);
  } catch (e) {
    void vscode.window.showWarningMessage(describeError(e));
  }
}

/** Deletes a run after a modal confirmation; returns whether it was deleted. */
export async function deleteRun(s: Services, runDir: string | undefined, confirmed = false): Promise<boolean> {
  if (!runDir || !requireTrust()) return false;
  const dir = path.resolve(runDir);
  if (s.training.activeRunDirs.includes(dir)) {
    void vscode.window.showWarningMessage(vscode.l10n.t('{0} is training: stop it before deleting it.', path.basename(dir)));
    return false;
  }
  if (!confirmed) {
    const remove = vscode.l10n.t('Delete');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('Delete the run {0} with its checkpoints and metrics?', path.basename(dir)),
      { modal: true, detail: dir },
      remove,
    );
    if (choice !== remove) return false;
  }
  try {
    await s.runs.delete(dir);
    return true;
  } catch (e) {
    void vscode.window.showErrorMessage(describeError(e));
    return false;
  }
}
