/**
 * The experiments table panel (webview/experiments): one row per run of the runs directory,
 * live while a run trains (the run store's change events, and the engine's step events for
 * tokens/s between evaluations). The panel owns its rows and annotation writes; a row's
 * actions elsewhere (dashboard, comparison, delete, train or queue again) are the extension's
 * commands. Every run directory the webview names must be a row
 * the panel sent. Restores after a reload (the webview keeps its sort and filters in setState).
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { EXPERIMENTS_VIEW_TYPE, parseExperimentsMessage, type ExperimentsToHostMessage, type HostToExperimentsMessage } from '../../shared/experimentsProtocol';
import { columnById, columnTitle, toCsv, type Column, type ExperimentRow } from '../../shared/experimentsTable';
import type { ProgressEvent } from '../../shared/protocol';
import { COMMANDS } from '../commandIds';
import { ExperimentRows, type LiveStats } from '../runs/experimentRows';
import type { RunInfo } from '../runs/runStore';
import { writeFileAtomic } from '../../shared/io/atomic';
import { panelHtml, panelOptions, webviewOptions } from './html';
import { panelLog } from './log';
import { loadingBody } from '../../shared/webviewShell';

/**
 * What the table reads: the runs and the engine's progress (live tokens/s of the running run).
 * A row's actions go through the extension's commands (COMMANDS), so the panel needs nothing else.
 */
export interface ExperimentsSources {
  runs: { list(): Promise<RunInfo[]>; readonly onDidChange: vscode.Event<void>; readonly directory: string };
  onProgress: vscode.Event<{ runDir: string; event: ProgressEvent }>;
}

/** Least time between two live refreshes caused by step events. */
const LIVE_REFRESH_MS = 2000;

export class ExperimentsPanel {
  private static current: ExperimentsPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly rows = new ExperimentRows(problem => panelLog().warn(`experiments: ${problem}`));
  private readonly live = new Map<string, LiveStats>();
  private shown: ExperimentRow[] = [];
  private disposed = false;
  private ready = false;
  private refreshTimer: NodeJS.Timeout | undefined;
  private lastLiveRefresh = 0;
  private pendingReveal: string | undefined;

  /** Shows the table (reusing the open one); `reveal` selects that run's row. */
  static show(extensionUri: vscode.Uri, actions: ExperimentsSources, reveal?: string): ExperimentsPanel {
    const open = ExperimentsPanel.current;
    if (open) {
      open.panel.reveal();
      if (reveal) open.reveal(reveal);
      return open;
    }
    const panel = vscode.window.createWebviewPanel(EXPERIMENTS_VIEW_TYPE, vscode.l10n.t('Experiments'), { viewColumn: vscode.ViewColumn.Active }, panelOptions(extensionUri));
    ExperimentsPanel.current = new ExperimentsPanel(panel, extensionUri, actions);
    if (reveal) ExperimentsPanel.current.reveal(reveal);
    return ExperimentsPanel.current;
  }

  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, actions: ExperimentsSources): ExperimentsPanel {
    if (ExperimentsPanel.current) {
      panel.dispose();
      return ExperimentsPanel.current;
    }
    panel.webview.options = webviewOptions(extensionUri);
    ExperimentsPanel.current = new ExperimentsPanel(panel, extensionUri, actions);
    return ExperimentsPanel.current;
  }

  static get open(): ExperimentsPanel | undefined {
    return ExperimentsPanel.current;
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly actions: ExperimentsSources,
  ) {
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icons', 'experiments.svg');
    panel.webview.html = panelHtml(panel.webview, extensionUri, {
      title: vscode.l10n.t('Experiments'),
      script: 'experiments',
      styles: ['panels.css', 'experiments.css'],
      body: loadingBody(vscode.l10n.t('Reading runs…')),
      lang: vscode.env.language,
    });
    this.disposables.push(
      panel.webview.onDidReceiveMessage(message => void this.onMessage(message)),
      panel.onDidDispose(() => this.dispose()),
      panel.onDidChangeViewState(() => panel.visible && this.scheduleRefresh()),
      actions.runs.onDidChange(() => this.scheduleRefresh()),
      actions.onProgress(({ runDir, event }) => this.onProgress(path.resolve(runDir), event)),
    );
  }

  /** The rows last sent (for tests). */
  get shownRows(): readonly ExperimentRow[] {
    return this.shown;
  }

  /** Selects and scrolls to a run's row (once the rows are there). */
  reveal(runDir: string): void {
    const dir = path.resolve(runDir);
    if (this.ready && this.shown.some(r => r.runDir === dir)) this.send({ type: 'reveal', runDir: dir });
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
      const runs = await this.actions.runs.list();
      const running = new Set(runs.filter(r => r.state === 'running').map(r => r.dir));
      for (const dir of this.live.keys()) if (!running.has(dir)) this.live.delete(dir);
      this.shown = await this.rows.rows(runs, dir => this.live.get(dir));
      const canQueue = (await vscode.commands.getCommands(true)).includes(COMMANDS.queueFromRun);
      message = { type: 'rows', rows: this.shown, directory: this.actions.runs.directory, canQueue, trusted: vscode.workspace.isTrusted, ...(vscode.l10n.bundle ? { l10n: vscode.l10n.bundle } : {}) };
    } catch (error) {
      message = { type: 'failed', message: vscode.l10n.t('Cannot read the runs directory {0}: {1}', this.actions.runs.directory, (error as Error).message) };
    }
    this.send(message);
    if (this.pendingReveal && this.shown.some(r => r.runDir === this.pendingReveal)) {
      this.send({ type: 'reveal', runDir: this.pendingReveal });
      this.pendingReveal = undefined;
    }
  }

  private send(message: HostToExperimentsMessage): void {
    if (!this.disposed) void this.panel.webview.postMessage(message);
  }

  /** The message's run directories, if every one is a row shown; else logs and returns undefined. */
  private known(dirs: string[]): string[] | undefined {
    const rows = new Set(this.shown.map(r => r.runDir));
    const unknown = dirs.find(d => !rows.has(d));
    if (unknown === undefined) return dirs;
    panelLog().warn(`experiments: ignored a message naming ${unknown}, which is not a row of the table`);
    return undefined;
  }

  private async onMessage(raw: unknown): Promise<void> {
    const parsed = parseExperimentsMessage(raw);
    if (!parsed.ok) {
      panelLog().warn(`experiments: dropped an invalid message: ${parsed.error}`);
      return;
    }
    const message = parsed.value;
    if (message.type === 'ready') {
      this.ready = true;
      await this.sendRows();
      return;
    }
    if (message.type === 'error') {
      panelLog().error(`experiments webview: ${message.message}`);
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

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    if (ExperimentsPanel.current === this) ExperimentsPanel.current = undefined;
    this.panel.dispose();
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }
}
