/**
 * Wires the experiment log into VS Code: the serializer (a thin adapter over serializer.ts),
 * the re-run controller, the export commands, and the live-update API the training commands
 * call. Everything that decides *what* a log contains is in the pure modules beside this one.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import type { ProgressEvent, RunState, TrainResult } from '../../shared/protocol';
import { exportIpynb } from './exportIpynb';
import { exportMarkdown } from './exportMarkdown';
import type { LogDocument, RunCell } from '../../shared/experimentLog/types';
import { emptyLog } from '../../shared/experimentLog/types';
import { LOG_FILE_EXTENSION, NOTEBOOK_TYPE } from '../../shared/experimentLog/constants';
import { writeLog } from '../../shared/experimentLog/write';
import { createRerunController, type RerunDeps } from './notebookController';
import { appendRun, finishRun, type RunInfo, setRunState, updateRun } from './runUpdates';
import { RENDERER_STRINGS } from '../../shared/experimentLog/text';
import { type CellShape, cellFromShape, cellShape, deserializeNotebook, type LogText, METADATA_KEY, type NotebookShape, notebookToDocument, serializeNotebook } from './serializer';

/** The log's generated text in the window's language (vscode.l10n), and the renderer's labels from the same bundle. */
function hostLogText(): LogText {
  const bundle = vscode.l10n.bundle;
  const labels = bundle ? Object.fromEntries(RENDERER_STRINGS.flatMap(s => (typeof bundle[s] === 'string' ? [[s, bundle[s]]] : []))) : undefined;
  return { t: (template, ...args) => vscode.l10n.t(template, ...args), ...(labels ? { rendererLabels: labels } : {}) };
}

export const EXPORT_MARKDOWN_COMMAND = 'seq2seqLab.log.exportMarkdown';
export const EXPORT_IPYNB_COMMAND = 'seq2seqLab.log.exportIpynb';
export const NEW_LOG_COMMAND = 'seq2seqLab.log.new';

/** Step events arrive many times a second; the notebook is redrawn at most this often. */
const LIVE_UPDATE_INTERVAL_MS = 1000;

// ---- adapter between the plain shapes and VS Code's classes ----

function toCellData(cell: CellShape): vscode.NotebookCellData {
  const kind = cell.kind === 'markup' ? vscode.NotebookCellKind.Markup : vscode.NotebookCellKind.Code;
  const data = new vscode.NotebookCellData(kind, cell.value, cell.languageId);
  data.outputs = (cell.outputs ?? []).map(output => new vscode.NotebookCellOutput(output.items.map(item => new vscode.NotebookCellOutputItem(item.data, item.mime))));
  if (cell.metadata) data.metadata = cell.metadata;
  return data;
}

function toNotebookData(shape: NotebookShape): vscode.NotebookData {
  const data = new vscode.NotebookData(shape.cells.map(toCellData));
  data.metadata = shape.metadata;
  return data;
}

function cellShapeOf(cell: vscode.NotebookCellData | vscode.NotebookCell): CellShape {
  const isCell = 'document' in cell;
  return {
    kind: cell.kind === vscode.NotebookCellKind.Markup ? 'markup' : 'code',
    value: isCell ? cell.document.getText() : cell.value,
    languageId: isCell ? cell.document.languageId : cell.languageId,
    metadata: cell.metadata,
  };
}

class LogSerializer implements vscode.NotebookSerializer {
  deserializeNotebook(content: Uint8Array): vscode.NotebookData {
    return toNotebookData(deserializeNotebook(content, hostLogText()));
  }
  serializeNotebook(data: vscode.NotebookData): Uint8Array {
    return serializeNotebook({ cells: data.cells.map(cellShapeOf), metadata: data.metadata }, hostLogText());
  }
}

/** The log as it is in the editor now, unsaved changes included. */
function documentOf(notebook: vscode.NotebookDocument): LogDocument {
  return notebookToDocument({ cells: notebook.getCells().map(cellShapeOf), metadata: notebook.metadata });
}

function runDirOf(cell: vscode.NotebookCell): string | undefined {
  return (cell.metadata?.[METADATA_KEY] as { run?: RunCell } | undefined)?.run?.runDir;
}

// ---- exports ----

async function targetNotebook(arg: unknown): Promise<vscode.NotebookDocument | undefined> {
  if (arg instanceof vscode.Uri) return vscode.workspace.openNotebookDocument(arg);
  const notebook = vscode.window.activeNotebookEditor?.notebook;
  if (notebook?.notebookType === NOTEBOOK_TYPE) return notebook;
  void vscode.window.showErrorMessage(vscode.l10n.t('Open an experiment log (*{0}) first.', LOG_FILE_EXTENSION));
  return undefined;
}

async function exportLog(arg: unknown, extension: '.md' | '.ipynb', render: (document: LogDocument) => string): Promise<vscode.Uri | undefined> {
  const notebook = await targetNotebook(arg);
  if (!notebook) return undefined;
  const source = notebook.uri;
  const suggested = source.with({ path: source.path.slice(0, source.path.length - path.posix.extname(source.path).length) + extension });
  const target = await vscode.window.showSaveDialog({ defaultUri: suggested, filters: extension === '.md' ? { Markdown: ['md'] } : { [vscode.l10n.t('Jupyter notebook')]: ['ipynb'] } });
  if (!target) return undefined;
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(render(documentOf(notebook))));
  void vscode.window.showInformationMessage(vscode.l10n.t('Exported to {0}', vscode.workspace.asRelativePath(target)));
  return target;
}

// ---- live runs ----

export interface ExperimentLog {
  /** Adds a run (or resumes one already in the log) at the end of `logUri`, creating the file if needed. */
  appendRun(logUri: vscode.Uri, info: RunInfo): Promise<void>;
  /** Feeds an engine progress event to the open logs that hold this run. */
  progress(runDir: string, event: ProgressEvent): void;
  /** Records the final result and saves the logs that hold the run. */
  finish(runDir: string, result: TrainResult): Promise<void>;
  /** Marks a run that ended without a result (`interrupted` after an engine crash, `failed`). */
  setState(runDir: string, state: RunState): Promise<void>;
}

/**
 * The version each log had right after our last edit. A log that is dirty at that version holds
 * only our unsaved changes (saving it is ours to do); any other dirty log holds the user's.
 */
const ownVersions = new Map<string, number>();

/**
 * Replaces the run's cell in every open log holding it. Saves only logs that had no unsaved
 * changes of the user's: a run must not save someone's half-written note behind their back.
 */
async function applyToOpenLogs(runDir: string, change: (document: LogDocument) => LogDocument, save: boolean): Promise<void> {
  for (const notebook of vscode.workspace.notebookDocuments) {
    if (notebook.notebookType !== NOTEBOOK_TYPE) continue;
    const cell = notebook.getCells().find(c => runDirOf(c) === runDir);
    if (!cell) continue;
    // The run alone, as a one-cell log: keeps a user-edited recipe and ignores the other cells.
    const before: LogDocument = { version: 1, cells: [cellFromShape(cellShapeOf(cell), cell.index)] };
    const after = change(before);
    if (after === before) continue;
    const userChanges = hasUserChanges(notebook);
    const edit = new vscode.WorkspaceEdit();
    edit.set(notebook.uri, [vscode.NotebookEdit.replaceCells(new vscode.NotebookRange(cell.index, cell.index + 1), [toCellData(cellShape(after.cells[0], hostLogText()))])]);
    await vscode.workspace.applyEdit(edit);
    ownVersions.set(notebook.uri.toString(), notebook.version);
    if (save && !userChanges) await notebook.save();
  }
}

function hasUserChanges(notebook: vscode.NotebookDocument): boolean {
  return notebook.isDirty && ownVersions.get(notebook.uri.toString()) !== notebook.version;
}

function createLiveLog(): ExperimentLog & vscode.Disposable {
  /** Events not yet drawn, per run; applied in order so the curves stay exact. */
  const pending = new Map<string, ProgressEvent[]>();
  /** The log each run of this window was appended to. */
  const logOf = new Map<string, vscode.Uri>();
  /**
   * VS Code closes a notebook it opened for us (no editor shows it) after a while; reopen the
   * run's log before each update so a long run's later points and result are not lost.
   */
  const update = async (runDir: string, change: (document: LogDocument) => LogDocument, save: boolean): Promise<void> => {
    const logUri = logOf.get(runDir);
    if (logUri) await vscode.workspace.openNotebookDocument(logUri);
    await applyToOpenLogs(runDir, change, save);
  };
  let timer: NodeJS.Timeout | undefined;
  let flushing = Promise.resolve();
  const flush = (save: boolean): Promise<void> => {
    timer = undefined;
    const batches = [...pending.entries()];
    pending.clear();
    flushing = flushing.then(async () => {
      for (const [runDir, events] of batches) {
        try {
          await update(runDir, document => events.reduce((doc, event) => updateRun(doc, runDir, event), document), save);
        } catch (err) {
          // One damaged cell or failed save must not stop the live updates of other runs.
          console.error(`Seq2Seq Lab: could not update the experiment log for ${runDir}:`, err);
        }
      }
    });
    return flushing;
  };
  return {
    async appendRun(logUri, info) {
      try {
        await vscode.workspace.fs.stat(logUri);
      } catch {
        await vscode.workspace.fs.writeFile(logUri, writeLog(emptyLog()));
      }
      logOf.set(info.runDir, logUri);
      const notebook = await vscode.workspace.openNotebookDocument(logUri);
      if (notebook.getCells().some(c => runDirOf(c) === info.runDir)) {
        await applyToOpenLogs(info.runDir, document => appendRun(document, info), true);
        return;
      }
      const userChanges = hasUserChanges(notebook);
      const appended = appendRun({ version: 1, cells: [] }, info).cells[0];
      const edit = new vscode.WorkspaceEdit();
      edit.set(notebook.uri, [vscode.NotebookEdit.insertCells(notebook.cellCount, [toCellData(cellShape(appended, hostLogText()))])]);
      await vscode.workspace.applyEdit(edit);
      ownVersions.set(notebook.uri.toString(), notebook.version);
      if (!userChanges) await notebook.save();
    },
    progress(runDir, event) {
      const events = pending.get(runDir);
      if (events) events.push(event);
      else pending.set(runDir, [event]);
      // Start and evaluation points are what a reader checks: draw (and save) them at once.
      if (event.kind === 'start' || event.kind === 'eval') {
        if (timer) clearTimeout(timer);
        void flush(true);
      } else if (!timer) {
        timer = setTimeout(() => void flush(false), LIVE_UPDATE_INTERVAL_MS);
      }
    },
    async finish(runDir, result) {
      if (timer) clearTimeout(timer);
      await flush(false);
      await update(runDir, document => finishRun(document, runDir, result), true);
    },
    async setState(runDir, state) {
      if (timer) clearTimeout(timer);
      await flush(false);
      await update(runDir, document => setRunState(document, runDir, state), true);
    },
    dispose() {
      if (timer) clearTimeout(timer);
    },
  };
}

// ---- registration ----

export function registerExperimentLog(context: vscode.ExtensionContext, deps: RerunDeps): ExperimentLog {
  const live = createLiveLog();
  context.subscriptions.push(
    // Outputs are drawn from the run record in the cell metadata, so they are never saved.
    vscode.workspace.registerNotebookSerializer(NOTEBOOK_TYPE, new LogSerializer(), { transientOutputs: true }),
    createRerunController(deps),
    live,
    vscode.commands.registerCommand(EXPORT_MARKDOWN_COMMAND, (arg?: unknown) => exportLog(arg, '.md', exportMarkdown)),
    vscode.commands.registerCommand(EXPORT_IPYNB_COMMAND, (arg?: unknown) => exportLog(arg, '.ipynb', exportIpynb)),
    vscode.commands.registerCommand(NEW_LOG_COMMAND, async () => {
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const target = await vscode.window.showSaveDialog({ defaultUri: folder && vscode.Uri.joinPath(folder, `experiments${LOG_FILE_EXTENSION}`), filters: { [vscode.l10n.t('Experiment log')]: [LOG_FILE_EXTENSION.slice(1)] } });
      if (!target) return;
      await vscode.workspace.fs.writeFile(target, writeLog(emptyLog()));
      await vscode.window.showNotebookDocument(await vscode.workspace.openNotebookDocument(target));
    }),
  );
  return live;
}
