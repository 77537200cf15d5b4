/**
 * The run comparison panel (webview/compare): a table of the runs' hyperparameters with the
 * differing values highlighted, their final metrics, and their validation curves overlaid on
 * shared chart.js axes. Reads run files only (no engine); restores after a reload.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { COMPARE_VIEW_TYPE, parseCompareMessage, type HostToCompareMessage, type RunSummary } from '../../shared/diffsProtocol';
import { loadRunSummary } from '../runs/summary';
import { panelHtml, panelOptions, webviewOptions } from './html';
import { panelLog } from './log';
import { loadingBody } from '../../shared/webviewShell';

export function compareTitle(runDirs: readonly string[]): string {
  return vscode.l10n.t('Compare {0} runs', runDirs.length);
}

export class ComparePanel {
  private static current: ComparePanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;
  private summaries: Promise<RunSummary[]> | undefined;

  /** Shows the comparison of `runDirs` (reusing the open comparison panel). */
  static show(extensionUri: vscode.Uri, runDirs: string[]): ComparePanel {
    const open = ComparePanel.current;
    if (open) {
      open.load(runDirs);
      open.panel.reveal();
      return open;
    }
    const panel = vscode.window.createWebviewPanel(COMPARE_VIEW_TYPE, compareTitle(runDirs), { viewColumn: vscode.ViewColumn.Active }, panelOptions(extensionUri));
    ComparePanel.current = new ComparePanel(panel, extensionUri, runDirs);
    return ComparePanel.current;
  }

  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, runDirs: string[]): ComparePanel {
    if (ComparePanel.current) {
      panel.dispose();
      return ComparePanel.current;
    }
    panel.webview.options = webviewOptions(extensionUri);
    ComparePanel.current = new ComparePanel(panel, extensionUri, runDirs);
    return ComparePanel.current;
  }

  static get open(): ComparePanel | undefined {
    return ComparePanel.current;
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private runDirs: string[],
  ) {
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icons', 'compare.svg');
    panel.webview.html = panelHtml(panel.webview, extensionUri, {
      title: compareTitle(runDirs),
      script: 'compare',
      styles: ['panels.css', 'compare.css'],
      body: loadingBody(vscode.l10n.t('Reading runs…')),
    });
    this.disposables.push(
      panel.webview.onDidReceiveMessage(message => this.onMessage(message)),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  /** The runs shown (for tests). */
  get shownRunDirs(): readonly string[] {
    return this.runDirs;
  }

  private load(runDirs: string[]): void {
    this.runDirs = runDirs;
    this.summaries = undefined;
    this.panel.title = compareTitle(runDirs);
    void this.sendRuns();
  }

  private async sendRuns(): Promise<void> {
    const runDirs = this.runDirs;
    this.summaries ??= Promise.all(runDirs.map(dir => loadRunSummary(dir)));
    let message: HostToCompareMessage;
    try {
      message = { type: 'runs', runs: await this.summaries, title: compareTitle(runDirs), ...(vscode.l10n.bundle ? { l10n: vscode.l10n.bundle } : {}) };
    } catch (error) {
      message = { type: 'failed', message: vscode.l10n.t('Cannot read the runs: {0}', (error as Error).message) };
    }
    if (runDirs === this.runDirs) this.send(message);
  }

  private send(message: HostToCompareMessage): void {
    if (!this.disposed) void this.panel.webview.postMessage(message);
  }

  private onMessage(raw: unknown): void {
    const parsed = parseCompareMessage(raw);
    if (!parsed.ok) {
      panelLog().warn(`compare: dropped an invalid message: ${parsed.error}`);
      return;
    }
    if (parsed.value.type === 'ready') void this.sendRuns();
    else panelLog().error(`compare webview: ${parsed.value.message}`);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (ComparePanel.current === this) ComparePanel.current = undefined;
    this.panel.dispose();
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }
}

export function runNames(runDirs: readonly string[]): string {
  return runDirs.map(d => path.basename(d)).join(', ');
}
