/**
 * Seq2Seq: Show Experiments (the experiments table, also on the Runs view's title bar) and
 * "Show in Experiments" (a run's row revealed, from the experiment log's run cells), plus the
 * table's serializer; and the two internal commands its rows use besides the existing ones:
 * delete several runs after one confirmation, and the Train Model form prefilled from a run.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { CONFIG_FIELDS, type Seq2SeqConfig } from '../../shared/config';
import { EXPERIMENTS_VIEW_TYPE, parseExperimentsState } from '../../shared/experimentsProtocol';
import { COMMANDS } from '../commandIds';
import { registerExperimentsLink, selectedRunDir } from '../notebook/experimentsLink';
import { ExperimentsPanel, type ExperimentsSources } from '../panels/experimentsPanel';
import { panelLog } from '../panels/log';
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

function sources(s: Services): ExperimentsSources {
  return { runs: s.runs, onProgress: s.engine.onProgress };
}

const stringsOf = (x: unknown): string[] => (Array.isArray(x) ? x.filter((d): d is string => typeof d === 'string') : typeof x === 'string' ? [x] : []);

export function showExperiments(s: Services, reveal?: string): ExperimentsPanel {
  return ExperimentsPanel.show(s.context.extensionUri, sources(s), reveal);
}

export function registerExperimentsCommands(s: Services): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(COMMANDS.showExperiments, () => showExperiments(s)),
    // From a run cell's status bar item (its run directory), or the palette in an experiment log (the selected cell's run).
    vscode.commands.registerCommand(COMMANDS.revealInExperiments, (runDir: unknown) => showExperiments(s, typeof runDir === 'string' ? runDir : selectedRunDir())),
    registerExperimentsLink(),
    vscode.commands.registerCommand(COMMANDS.deleteRuns, (runDirs: unknown) => deleteRuns(s, stringsOf(runDirs))),
    vscode.commands.registerCommand(COMMANDS.trainFromRun, (runDir: unknown) => (typeof runDir === 'string' ? trainFromRun(s, runDir) : undefined)),
    vscode.window.registerWebviewPanelSerializer(EXPERIMENTS_VIEW_TYPE, {
      async deserializeWebviewPanel(panel, state: unknown) {
        const parsed = parseExperimentsState(state);
        if (!parsed.ok) {
          panelLog().warn(`experiments: not restored (${parsed.error})`);
          panel.dispose();
          return;
        }
        ExperimentsPanel.revive(panel, s.context.extensionUri, sources(s));
      },
    }),
  ];
}
