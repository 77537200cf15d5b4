/**
 * The training dashboard of one run (webview/dashboard, chart.js): live curves and the fixed
 * validation sample at every evaluation. The panel keeps the run's events, so a webview that
 * reloads (hidden and shown again, or restored after a window reload) gets the whole history
 * in one `history` message and then the new events one by one. With the history goes what the
 * run directory says (runs/runInfo.ts: what `auto` decided, the target unit), read afresh each
 * time, so a finished run reopened or restored shows its decisions without its `start` event.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import type { ProgressEvent } from '../../shared/protocol';
import { DASHBOARD_VIEW_TYPE, parseDashboardMessage, type DashboardRunInfo, type HostToDashboardMessage } from '../../shared/webviewProtocol';
import { loadRunInfo } from '../runs/runInfo';
import { loadingBody } from '../../shared/webviewShell';
import { panelHtml, panelOptions, webviewOptions } from './html';
import { panelLog } from './log';

export class DashboardPanel {
  private static readonly panels = new Map<string, DashboardPanel>();
  private readonly disposables: vscode.Disposable[] = [];
  private events: ProgressEvent[];
  /** True once the webview said `ready` (and got the history); until then events are only kept. */
  private ready = false;
  /** Counts history sends: one superseded while it read the run directory is dropped. */
  private historyGeneration = 0;
  private disposed = false;

  /** Opens the dashboard of `runDir` with its history so far, or reveals the open one. */
  static createOrShow(extensionUri: vscode.Uri, runDir: string, history: ProgressEvent[]): DashboardPanel {
    const open = DashboardPanel.panels.get(runDir);
    if (open) {
      open.setHistory(history);
      open.panel.reveal();
      return open;
    }
    const panel = vscode.window.createWebviewPanel(
      DASHBOARD_VIEW_TYPE,
      DashboardPanel.title(runDir),
      { viewColumn: vscode.ViewColumn.Active, preserveFocus: true },
      panelOptions(extensionUri),
    );
    return new DashboardPanel(panel, extensionUri, runDir, history);
  }

  /** Adopts a panel VS Code restored after a reload (see registerPanelSerializers). */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, runDir: string, history: ProgressEvent[]): DashboardPanel {
    const open = DashboardPanel.panels.get(runDir);
    if (open) {
      // A dashboard of this run exists already (createOrShow raced the restore): keep one.
      panel.dispose();
      open.setHistory(history);
      return open;
    }
    panel.webview.options = webviewOptions(extensionUri);
    panel.title = DashboardPanel.title(runDir);
    return new DashboardPanel(panel, extensionUri, runDir, history);
  }

  /** Sends one event to the dashboard of `runDir`; a no-op when no such panel is open. */
  static post(runDir: string, event: ProgressEvent): void {
    DashboardPanel.panels.get(runDir)?.append(event);
  }

  /** The open dashboard of `runDir`, if any (for tests and the host). */
  static get(runDir: string): DashboardPanel | undefined {
    return DashboardPanel.panels.get(runDir);
  }

  private static title(runDir: string): string {
    return vscode.l10n.t('Training: {0}', path.basename(runDir));
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    readonly runDir: string,
    history: ProgressEvent[],
  ) {
    this.events = [...history];
    DashboardPanel.panels.set(runDir, this);
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icons', 'dashboard.svg');
    panel.webview.html = panelHtml(panel.webview, extensionUri, {
      title: DashboardPanel.title(runDir),
      script: 'dashboard',
      styles: ['panels.css', 'dashboard.css'],
      body: loadingBody(vscode.l10n.t('Loading training data…')),
      lang: vscode.env.language,
    });
    this.disposables.push(
      panel.webview.onDidReceiveMessage(message => this.onMessage(message)),
      // Without retainContextWhenHidden a hidden webview is destroyed; it says `ready` again when shown.
      panel.onDidChangeViewState(() => {
        if (!panel.visible) {
          this.ready = false;
          this.historyGeneration++;
        }
      }),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  private setHistory(history: ProgressEvent[]): void {
    this.events = [...history];
    if (this.ready) void this.sendHistory();
  }

  /**
   * Reads the run directory, then sends the whole run so far; from then on events go one by
   * one. Events that come while it reads are kept and go with the history.
   */
  private async sendHistory(): Promise<void> {
    const generation = ++this.historyGeneration;
    const run = await loadRunInfo(this.runDir, problem => panelLog().warn(`dashboard: ${problem}`));
    if (generation !== this.historyGeneration || this.disposed) return;
    this.ready = true;
    this.send(this.history(run));
  }

  /** The whole run so far, with the translation bundle the webview renders with (undefined in English). */
  private history(run: DashboardRunInfo): HostToDashboardMessage {
    return { type: 'history', runDir: this.runDir, events: this.events, run, ...(vscode.l10n.bundle ? { l10n: vscode.l10n.bundle } : {}) };
  }

  private append(event: ProgressEvent): void {
    this.events.push(event);
    if (this.ready) this.send({ type: 'event', event });
  }

  private send(message: HostToDashboardMessage): void {
    if (!this.disposed) void this.panel.webview.postMessage(message);
  }

  private onMessage(raw: unknown): void {
    const parsed = parseDashboardMessage(raw);
    if (!parsed.ok) {
      panelLog().warn(`dashboard: dropped an invalid message: ${parsed.error}`);
      return;
    }
    if (parsed.value.type === 'ready') {
      void this.sendHistory();
    } else {
      panelLog().error(`dashboard webview: ${parsed.value.message}`);
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (DashboardPanel.panels.get(this.runDir) === this) DashboardPanel.panels.delete(this.runDir);
    this.panel.dispose();
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }
}
