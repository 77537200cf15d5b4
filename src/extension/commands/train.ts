/**
 * Train Model (the form), Stop Training, Resume Training and the dashboard of a run.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import type { Seq2SeqConfig } from '../../shared/config';
import type { DataChoice } from '../../shared/dataChoice';
import { COMMANDS } from '../commandIds';
import { isEngineRequestError } from '../engineClient/errors';
import { DashboardPanel, TrainFormPanel } from '../panels';
import { runDetail, stateLabel } from '../runs/format';
import type { Services } from '../services';
import { initialConfig } from '../settings';
import { describeError, showEngineError } from '../training/notify';
import { requireTrust } from './trust';

export function registerTrainCommands(s: Services): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(COMMANDS.train, () => trainModel(s)),
    vscode.commands.registerCommand(COMMANDS.stop, () => stopTraining(s)),
    vscode.commands.registerCommand(COMMANDS.resume, (runDir?: unknown) => resumeTraining(s, typeof runDir === 'string' ? runDir : undefined)),
    vscode.commands.registerCommand(COMMANDS.openDashboard, (runDir?: unknown) => openDashboard(s, typeof runDir === 'string' ? runDir : s.training.activeRunDir)),
  ];
}

/** Settings and dataset to open the form with, e.g. a run re-run from the experiment log. */
export interface TrainPrefill {
  config: Partial<Seq2SeqConfig>;
  data?: DataChoice;
}

/** Opens the hyperparameter form (prefilled, if given); its Start begins the run. Returns the panel (for tests). */
export async function trainModel(s: Services, prefill?: TrainPrefill): Promise<TrainFormPanel | undefined> {
  if (!requireTrust()) return undefined;
  let tasks;
  try {
    // Starts the engine on first use: the task list is the engine's.
    tasks = (await s.engine.hello()).tasks;
  } catch (e) {
    void showEngineError(vscode.l10n.t('The training engine could not start: {0}', describeError(e)), s.log);
    return undefined;
  }
  return TrainFormPanel.createOrShow(s.panels, {
    tasks,
    initial: prefill?.config ?? initialConfig(),
    ...(prefill?.data ? { initialData: prefill.data } : {}),
    // Throws synchronously when a run is already training: the form shows the reason.
    onStart: request => void s.training.start(request),
    onQueue: async runs => {
      await s.queue.add(runs);
      return s.queue.list().length;
    },
    pickDataFile: () => pickDataFile(),
    inspect: (params, token) => s.engine.inspect(params, token),
  });
}

async function pickDataFile(): Promise<string | undefined> {
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: false,
    openLabel: vscode.l10n.t('Use as training data'),
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    filters: { [vscode.l10n.t('Sentence pairs (TSV, JSONL)')]: ['tsv', 'tab', 'txt', 'jsonl', 'json'], [vscode.l10n.t('All files')]: ['*'] },
  });
  return picked?.[0]?.fsPath;
}

export function stopTraining(s: Services): boolean {
  const stopped = s.training.stop();
  if (!stopped) void vscode.window.showInformationMessage(vscode.l10n.t('No training is running.'));
  return stopped;
}

/** Resumes `runDir`, or a cancelled/interrupted run the user picks. Resolves when that training ends. */
export async function resumeTraining(s: Services, runDir?: string): Promise<void> {
  if (!requireTrust()) return;
  const dir = runDir ?? (await pickResumable(s));
  if (!dir) return;
  const run = await s.runs.get(dir);
  if (!run || (run.state !== 'cancelled' && run.state !== 'interrupted')) {
    void vscode.window.showWarningMessage(
      vscode.l10n.t('{0} cannot be resumed (state: {1}).', path.basename(dir), run?.state ?? vscode.l10n.t('not a run')),
    );
    return;
  }
  try {
    const outcome = await s.training.resume(dir);
    // The controller reports engine failures itself; a refusal (e.g. an old checkpoint) surfaces here too.
    if (isEngineRequestError(outcome.error)) s.log.warn(`resume ${dir}: ${outcome.error.message}`);
  } catch (e) {
    void vscode.window.showWarningMessage(describeError(e));
  }
}

async function pickResumable(s: Services): Promise<string | undefined> {
  const runs = (await s.runs.list()).filter(r => r.state === 'cancelled' || r.state === 'interrupted');
  if (runs.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('There is no stopped or interrupted run to resume.'));
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    runs.map(r => ({ label: r.name, description: stateLabel(r), detail: runDetail(r), dir: r.dir })),
    { title: vscode.l10n.t('Resume Training'), placeHolder: vscode.l10n.t('Pick a stopped or interrupted run') },
  );
  return picked?.dir;
}

export async function openDashboard(s: Services, runDir: string | undefined): Promise<DashboardPanel | undefined> {
  if (!runDir) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No training is running.'));
    return undefined;
  }
  return DashboardPanel.createOrShow(s.panels, path.resolve(runDir), await s.training.history(runDir));
}
