/**
 * Seq2Seq: Show Experiments (the experiments table, also on the Runs view's title bar) and
 * "Show in Experiments" (a run's row revealed, from the experiment log's run cells), Seq2Seq:
 * Show Sweep (a sweep's page; the table's sweep cells open it too); and the two internal commands its rows use besides the existing ones:
 * delete several runs after one confirmation, and the Train Model form prefilled from a run.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { CONFIG_FIELDS, type Seq2SeqConfig } from '../../shared/config';
import { COMMANDS } from '../commandIds';
import { registerExperimentsLink, selectedRunDir } from '../notebook/experimentsLink';
import { ExperimentsPanel } from '../panels/experimentsPanel';
import { SweepPanel } from '../panels/sweepPanel';
import { ExperimentRows } from '../runs/experimentRows';
import { sweepIds } from '../runs/sweepTrials';
import { loadRunSummary } from '../runs/summary';
import type { Services } from '../services';
import { deleteRun } from './runs';
import { trainModel } from './train';
import { requireTrust } from './trust';

const KNOWN_SETTINGS = new Set(CONFIG_FIELDS.map(f => f.key as string));

/** Deletes runs after one confirmation (one run: the Runs view's own confirmation). */
async function deleteRuns(s: Services, runDirs: string[]): Promise<void> {
  if (runDirs.length === 0) return;
  if (runDirs.length === 1) {
    await deleteRun(s, runDirs[0]);
    return;
  }
  if (!requireTrust()) return;
  const remove = vscode.l10n.t('Delete');
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t('Delete {0} runs with their checkpoints and metrics?', runDirs.length),
    { modal: true, detail: runDirs.map(d => path.basename(d)).join('\n') },
    remove,
  );
  if (choice !== remove) return;
  for (const dir of runDirs) await deleteRun(s, dir, true);
}

/** The Train Model form with a run's data and settings (what "Queue with these settings" does until a queue exists). */
export async function trainFromRun(s: Services, runDir: string): Promise<void> {
  const summary = await loadRunSummary(runDir);
  const config = Object.fromEntries(Object.entries(summary.config).filter(([key]) => KNOWN_SETTINGS.has(key))) as Partial<Seq2SeqConfig>;
  await trainModel(s, { config, ...(summary.dataSource ? { data: summary.dataSource } : {}) });
}

const stringsOf = (x: unknown): string[] => (Array.isArray(x) ? x.filter((d): d is string => typeof d === 'string') : typeof x === 'string' ? [x] : []);

export function showExperiments(s: Services, reveal?: string): ExperimentsPanel {
  return ExperimentsPanel.show(s.panels, reveal);
}

/** The sweep page of `id`, or of the sweep picked from those of the runs directory and the queue. */
export async function showSweep(s: Services, id?: string): Promise<SweepPanel | undefined> {
  let chosen = id;
  if (!chosen) {
    const ids = sweepIds(await new ExperimentRows().rows(await s.runs.list(), () => undefined), s.queue.list());
    if (ids.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No sweeps yet: queue one with Sweep in the Train Model form.'));
      return undefined;
    }
    chosen = ids.length === 1 ? ids[0] : await vscode.window.showQuickPick(ids, { placeHolder: vscode.l10n.t('Which sweep?') });
  }
  return chosen ? SweepPanel.show(s.panels, chosen) : undefined;
}

export function registerExperimentsCommands(s: Services): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(COMMANDS.showExperiments, () => showExperiments(s)),
    // From a run cell's status bar item (its run directory), or the palette in an experiment log (the selected cell's run).
    vscode.commands.registerCommand(COMMANDS.revealInExperiments, (runDir: unknown) => showExperiments(s, typeof runDir === 'string' ? runDir : selectedRunDir())),
    registerExperimentsLink(),
    vscode.commands.registerCommand(COMMANDS.deleteRuns, (runDirs: unknown) => deleteRuns(s, stringsOf(runDirs))),
    vscode.commands.registerCommand(COMMANDS.trainFromRun, (runDir: unknown) => (typeof runDir === 'string' ? trainFromRun(s, runDir) : undefined)),
    vscode.commands.registerCommand(COMMANDS.showSweep, (id: unknown) => showSweep(s, typeof id === 'string' ? id : undefined)),
  ];
}
