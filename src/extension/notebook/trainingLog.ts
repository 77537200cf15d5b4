/**
 * Training → experiment log: every run the TrainingController starts or resumes is appended to
 * the workspace's log (the `seq2seqLab.experimentLog` setting), its cell follows the engine's
 * progress events, and its end is recorded. A log that cannot be written is reported in the
 * output channel and never stops or fails a training run.
 *
 * Also reconciles logs opened later: a cell still saying `running` whose run is no longer
 * training (the window was reloaded, the engine died) is shown with the run's real state.
 */
import { promises as fsp } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { ProgressEvent, TrainRequest } from '../../shared/protocol';
import { RUN_FILES } from '../../shared/runDir';
import { isEngineCrashed } from '../engineClient/errors';
import type { RunStore } from '../runs/runStore';
import type { TrainingObserver, TrainOutcome } from '../training/trainingController';
import type { ConfigValue, LogCell } from '../../shared/experimentLog/types';
import { LOG_FILE_EXTENSION, NOTEBOOK_TYPE } from '../../shared/experimentLog/constants';
import type { ExperimentLog } from './register';
import { METADATA_KEY } from './serializer';
import { type DataChoice, dataChoiceOf, readDataChoice } from '../../shared/dataChoice';

export const OPEN_LOG_COMMAND = 'seq2seqLab.log.open';
const SETTING = 'experimentLog';
const DEFAULT_LOG = `experiments${LOG_FILE_EXTENSION}`;

/**
 * The log runs are appended to: the setting resolved against the first workspace folder, or
 * undefined when logging is off (empty setting) or there is no folder to keep a log in.
 */
export function experimentLogUri(): vscode.Uri | undefined {
  const configured = vscode.workspace.getConfiguration('seq2seqLab').get<string>(SETTING, DEFAULT_LOG).trim();
  if (!configured) return undefined;
  if (path.isAbsolute(configured)) return vscode.Uri.file(configured);
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  return folder && vscode.Uri.joinPath(folder, configured);
}

/** The dataset and settings of a run being resumed, from its config.json (written by the engine). */
async function recordedRun(runDir: string): Promise<{ data: DataChoice; config: { [key: string]: ConfigValue } }> {
  const file = path.join(runDir, RUN_FILES.config);
  let value: unknown;
  try {
    value = JSON.parse(await fsp.readFile(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
  const { data: raw, config } = (value ?? {}) as { data?: unknown; config?: unknown };
  if (config === null || typeof config !== 'object' || Array.isArray(config)) throw new Error(`${file}: no "config" object`);
  const data = readDataChoice(raw);
  if (!data) throw new Error(`${file}: "data" names neither a task nor a data file`);
  return { data, config: config as { [key: string]: ConfigValue } };
}

async function runInfoOf(runDir: string, params: TrainRequest.Params): Promise<{ data: DataChoice; config: { [key: string]: ConfigValue } }> {
  if (params.resume) return recordedRun(runDir);
  if (params.finetuneFrom !== undefined) {
    // A fine-tuned run trains on its source run's data; the start event brings the rest.
    const source = await recordedRun(params.finetuneFrom);
    return { data: source.data, config: { ...source.config, ...(params.config ?? {}) } as { [key: string]: ConfigValue } };
  }
  // The engine's start event replaces these with the complete, resolved configuration.
  return { data: dataChoiceOf(params), config: { ...(params.config ?? {}) } as { [key: string]: ConfigValue } };
}

/** Follows training into the log. `logUri` is read at each run start, so the setting applies to the next run. */
export function createTrainingLog(live: ExperimentLog, log: vscode.LogOutputChannel, logUri: () => vscode.Uri | undefined = experimentLogUri): TrainingObserver {
  /** Per logged run: resolves once its cell is in the log, so no event reaches a log without it. */
  const appended = new Map<string, Promise<boolean>>();
  const report = (what: string, runDir: string, error: unknown) =>
    log.error(`experiment log: could not ${what} ${path.basename(runDir)}: ${error instanceof Error ? error.message : String(error)}`);

  const after = (runDir: string, what: string, action: () => void | Promise<void>): void => {
    const ready = appended.get(runDir);
    if (!ready) return;
    void ready.then(async ok => {
      if (!ok) return;
      try {
        await action();
      } catch (error) {
        report(what, runDir, error);
      }
    });
  };

  return {
    started(runDir, params) {
      const uri = logUri();
      if (!uri) return;
      appended.set(
        runDir,
        (async () => {
          try {
            const info = await runInfoOf(runDir, params);
            await live.appendRun(uri, { runDir, ...info, startedAt: new Date().toISOString() });
            log.info(`experiment log: ${path.basename(runDir)} ${params.resume ? 'resumed' : 'appended'} in ${uri.fsPath}`);
            return true;
          } catch (error) {
            report('append', runDir, error);
            return false;
          }
        })(),
      );
    },
    progress(runDir: string, event: ProgressEvent) {
      after(runDir, 'update', () => live.progress(runDir, event));
    },
    ended(outcome: TrainOutcome) {
      const { runDir, result, error } = outcome;
      after(runDir, 'finish', () => (result ? live.finish(runDir, result) : live.setState(runDir, isEngineCrashed(error) ? 'interrupted' : 'failed')));
      after(runDir, 'forget', () => void appended.delete(runDir));
    },
  };
}

function runCellsOf(notebook: vscode.NotebookDocument): Array<{ runDir: string; state: string }> {
  return notebook.getCells().flatMap(cell => {
    const run = (cell.metadata?.[METADATA_KEY] as { run?: Partial<Extract<LogCell, { kind: 'run' }>> } | undefined)?.run;
    return typeof run?.runDir === 'string' && typeof run.state === 'string' ? [{ runDir: run.runDir, state: run.state }] : [];
  });
}

/**
 * Registers the reconciliation of opened logs and the "Open Experiment Log" command.
 * `activeRunDirs` are the runs this window trains now (their cells are live, not stale).
 */
export function registerTrainingLog(live: ExperimentLog, runs: RunStore, activeRunDirs: () => readonly string[], log: vscode.LogOutputChannel): vscode.Disposable[] {
  const reconcile = async (notebook: vscode.NotebookDocument): Promise<void> => {
    if (notebook.notebookType !== NOTEBOOK_TYPE) return;
    for (const { runDir, state } of runCellsOf(notebook)) {
      if (state !== 'running' || activeRunDirs().includes(path.resolve(runDir))) continue;
      try {
        const run = await runs.get(runDir);
        // A missing or damaged run directory says nothing certain: leave the cell as it is.
        if (run && run.state !== 'running' && run.state !== 'damaged') await live.setState(runDir, run.state);
      } catch (error) {
        log.warn(`experiment log: could not check ${runDir}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  };
  for (const notebook of vscode.workspace.notebookDocuments) void reconcile(notebook);
  return [
    vscode.workspace.onDidOpenNotebookDocument(notebook => void reconcile(notebook)),
    vscode.commands.registerCommand(OPEN_LOG_COMMAND, async () => {
      const uri = experimentLogUri();
      if (!uri) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Experiment logging is off: set "seq2seqLab.experimentLog" to a file name, or open a folder.'));
        return undefined;
      }
      try {
        await vscode.workspace.fs.stat(uri);
      } catch {
        void vscode.window.showInformationMessage(vscode.l10n.t('There is no experiment log yet: it is created when the first run starts ({0}).', vscode.workspace.asRelativePath(uri)));
        return undefined;
      }
      return vscode.window.showNotebookDocument(await vscode.workspace.openNotebookDocument(uri));
    }),
  ];
}
