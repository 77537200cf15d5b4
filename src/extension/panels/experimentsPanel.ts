/**
 * The experiments table panel (webview/experiments): one row per run of the runs directory,
 * live while a run trains (the run store's change events, and the engine's step events for
 * tokens/s between evaluations). The panel owns its rows and annotation writes; a row's
 * actions elsewhere (dashboard, comparison, delete, train or queue again) are the extension's
 * commands. Every run directory the webview names must be a row
 * the panel sent. A PanelHost like every panel; restores after a reload (serializers.ts; the
 * webview keeps its sort and filters in setState).
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { EXPERIMENTS_VIEW_TYPE, parseExperimentsMessage, parseExperimentsState, type ExperimentsState, type ExperimentsToHostMessage, type HostToExperimentsMessage } from '../../shared/experimentsProtocol';
import { columnById, columnTitle, toCsv, type Column, type ExperimentRow } from '../../shared/experimentsTable';
import type { ProgressEvent } from '../../shared/protocol';
import { COMMANDS } from '../commandIds';
import { ExperimentRows, type LiveStats } from '../runs/experimentRows';
import { writeFileAtomic } from '../../shared/io/atomic';
import type { PanelContext } from './context';
import { panelLog } from './log';
import { l10nBundle, PanelHost, PanelRegistry, SINGLE_PANEL, type PanelKind, type PanelRestorer } from './panelHost';

const KIND: PanelKind<ExperimentsToHostMessage> = {
  viewType: EXPERIMENTS_VIEW_TYPE,
  logName: 'experiments',
  icon: 'experiments',
  script: 'experiments',
  styles: ['panels.css', 'experiments.css'],
  parse: parseExperimentsMessage,
};

/** Least time between two live refreshes caused by step events. */
const LIVE_REFRESH_MS = 2000;

export class ExperimentsPanel extends PanelHost<ExperimentsToHostMessage, HostToExperimentsMessage> {
  private static readonly registry = new PanelRegistry<ExperimentsPanel>();
  private readonly rows = new ExperimentRows(problem => panelLog().warn(`experiments: ${problem}`));
  private readonly live = new Map<string, LiveStats>();
  private shown: ExperimentRow[] = [];
  private ready = false;
  private refreshTimer: NodeJS.Timeout | undefined;
  private lastLiveRefresh = 0;
  private pendingReveal: string | undefined;

  /** Shows the table (reusing the open one); `reveal` selects that run's row. */
  static show(context: PanelContext, reveal?: string): ExperimentsPanel {
    const panel = ExperimentsPanel.registry.showOrCreate(
      SINGLE_PANEL,
      { extensionUri: context.extensionUri, viewType: EXPERIMENTS_VIEW_TYPE, title: vscode.l10n.t('Experiments'), placement: { viewColumn: vscode.ViewColumn.Active } },
      () => undefined,
      created => new ExperimentsPanel(created, context),
    );
    if (reveal) panel.reveal(reveal);
    return panel;
  }

  static revive(panel: vscode.WebviewPanel, context: PanelContext): ExperimentsPanel {
    return ExperimentsPanel.registry.revive(SINGLE_PANEL, panel, context.extensionUri, () => undefined, restored => new ExperimentsPanel(restored, context));
  }

  static get open(): ExperimentsPanel | undefined {
    return ExperimentsPanel.registry.get();
  }

  private constructor(panel: vscode.WebviewPanel, private readonly context: PanelContext) {
    super(panel, KIND, { registry: ExperimentsPanel.registry, key: SINGLE_PANEL }, context.extensionUri, {
      title: vscode.l10n.t('Experiments'),
      loading: vscode.l10n.t('Reading runs…'),
    });
    this.disposables.push(
      context.runs.onDidChange(() => this.scheduleRefresh()),
      // The controller's progress: every engine process of this window (the queue may train several runs at once).
      context.training.onDidProgress(({ runDir, event }) => this.onProgress(path.resolve(runDir), event)),
    );
  }
  /** The rows last sent (for tests). */
  get shownRows(): readonly ExperimentRow[] {
    return this.shown;
  }

  /** Selects and scrolls to a run's row (once the rows are there). */
  reveal(runDir: string): void {
    const dir = path.resolve(runDir);
    if (this.ready && this.shown.some(r => r.runDir === dir)) this.post({ type: 'reveal', runDir: dir });
    else this.pendingReveal = dir;
  }

  private onProgress(runDir: string, event: ProgressEvent): void {
    if (event.kind !== 'step') return;
    this.live.set(runDir, { tokensPerSecond: event.tokensPerSecond, step: event.step });
    const now = Date.now();
    if (now - this.lastLiveRefresh >= LIVE_REFRESH_MS) {
      this.lastLiveRefresh = now;
      this.scheduleRefresh();
    }
  }

  protected override onDidChangeVisibility(visible: boolean): void {
    if (visible) this.scheduleRefresh();
  }

  private scheduleRefresh(): void {
    if (this.disposed || !this.ready) return;
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => void this.sendRows(), 150);
  }

  /** Re-reads what changed and sends every row. */
  async sendRows(): Promise<void> {
    if (this.disposed) return;
    let message: HostToExperimentsMessage;
    try {
      const runs = await this.context.runs.list();
      const running = new Set(runs.filter(r => r.state === 'running').map(r => r.dir));
      for (const dir of this.live.keys()) if (!running.has(dir)) this.live.delete(dir);
      this.shown = await this.rows.rows(runs, dir => this.live.get(dir));
      const canQueue = (await vscode.commands.getCommands(true)).includes(COMMANDS.queueFromRun);
      message = { type: 'rows', rows: this.shown, directory: this.context.runs.directory, canQueue, trusted: vscode.workspace.isTrusted, ...l10nBundle() };
    } catch (error) {
      message = { type: 'failed', message: vscode.l10n.t('Cannot read the runs directory {0}: {1}', this.context.runs.directory, (error as Error).message) };
    }
    this.post(message);
    if (this.pendingReveal && this.shown.some(r => r.runDir === this.pendingReveal)) {
      this.post({ type: 'reveal', runDir: this.pendingReveal });
      this.pendingReveal = undefined;
    }
  }

  /** The message's run directories, if every one is a row shown; else logs and returns undefined. */
  private known(dirs: string[]): string[] | undefined {
    const rows = new Set(this.shown.map(r => r.runDir));
    const unknown = dirs.find(d => !rows.has(d));
    if (unknown === undefined) return dirs;
    panelLog().warn(`experiments: ignored a message naming ${unknown}, which is not a row of the table`);
    return undefined;
  }

  protected async onMessage(message: Exclude<ExperimentsToHostMessage, { type: 'error' }>): Promise<void> {
    if (message.type === 'ready') {
      this.ready = true;
      await this.sendRows();
      return;
    }
    const dirs = this.known('runDirs' in message ? message.runDirs : [message.runDir]);
    if (!dirs) return;
    try {
      await this.act(message, dirs);
    } catch (error) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Experiments: {0}', (error as Error).message));
      // The table shows what the files hold, not the failed edit.
      await this.sendRows();
    }
  }

  private async act(message: Exclude<ExperimentsToHostMessage, { type: 'ready' | 'error' }>, dirs: string[]): Promise<void> {
    switch (message.type) {
      case 'openSweep': {
        const sweep = this.shown.find(r => r.runDir === dirs[0])?.sweep;
        if (sweep) await vscode.commands.executeCommand(COMMANDS.showSweep, sweep.id);
        return;
      }
      case 'rename':
        await this.annotate(dirs, { name: message.name });
        return;
      case 'notes':
        await this.annotate(dirs, { notes: message.notes });
        return;
      case 'star':
        await this.annotate(dirs, { starred: message.starred });
        return;
      case 'hide':
        await this.annotate(dirs, { hidden: message.hidden });
        return;
      case 'open':
        await vscode.commands.executeCommand(COMMANDS.openRun, dirs[0]);
        return;
      case 'compare':
        await vscode.commands.executeCommand(COMMANDS.compareRuns, dirs);
        return;
      case 'delete':
        await vscode.commands.executeCommand(COMMANDS.deleteRuns, dirs);
        await this.sendRows();
        return;
      case 'queueFrom':
        await vscode.commands.executeCommand(COMMANDS.queueFromRun, dirs[0]);
        return;
      case 'trainFrom':
        await vscode.commands.executeCommand(COMMANDS.trainFromRun, dirs[0]);
        return;
      case 'exportCsv':
        await this.exportCsv(dirs, message.columns);
        return;
    }
  }

  private async annotate(dirs: string[], change: Parameters<ExperimentRows['update']>[1]): Promise<void> {
    await Promise.all(dirs.map(dir => this.rows.update(dir, change)));
    await this.sendRows();
  }

  private async exportCsv(dirs: string[], columnIds: string[]): Promise<void> {
    const columns = columnIds.map(columnById).filter((c): c is Column => c !== undefined);
    const byDir = new Map(this.shown.map(r => [r.runDir, r]));
    const rows = dirs.map(d => byDir.get(d)).filter((r): r is ExperimentRow => r !== undefined);
    const unit = rows.length > 0 && rows.every(r => r.targetUnit === 'phoneme') ? 'phoneme' : 'word';
    const csv = toCsv(rows, columns, column => columnTitle(column, (template, ...args) => vscode.l10n.t(template, ...args), unit));
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      title: vscode.l10n.t('Export the experiments table'),
      saveLabel: vscode.l10n.t('Export CSV'),
      filters: { [vscode.l10n.t('CSV (comma-separated values)')]: ['csv'] },
      ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, 'experiments.csv') } : {}),
    });
    if (!target) return;
    writeFileAtomic(target.fsPath, csv);
    void vscode.window.showInformationMessage(vscode.l10n.t('Exported {0} runs to {1}.', rows.length, target.fsPath));
  }

  protected override onWillDispose(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
  }
}

/** Restores the table; its sort and filters come back from the webview's own state. */
export function experimentsRestorer(context: PanelContext): PanelRestorer<ExperimentsState> {
  return {
    viewType: EXPERIMENTS_VIEW_TYPE,
    logName: 'experiments',
    parseState: parseExperimentsState,
    revive: panel => void ExperimentsPanel.revive(panel, context),
  };
}
