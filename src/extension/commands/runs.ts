/** The Runs view and its item actions: open (dashboard from history), resume, delete. */
import * as path from 'path';
import * as vscode from 'vscode';
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
    vscode.commands.registerCommand(COMMANDS.deleteRun, (arg: unknown) => deleteRun(s, runDirOf(arg))),
  ];
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
