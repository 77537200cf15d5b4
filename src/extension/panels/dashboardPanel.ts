/**
 * The training dashboard of one run (webview/dashboard, chart.js): live curves and the fixed
 * validation sample at every evaluation. The panel keeps the run's events, so a webview that
 * reloads (hidden and shown again, or restored after a window reload) gets the whole history
 * in one `history` message and then the new events one by one, which it takes from the training
 * controller's onDidProgress for its run. With the history goes what the run directory says
 * (runs/runInfo.ts: what `auto` decided, the target unit), read afresh each time, so a finished
 * run reopened or restored shows its decisions without its `start` event.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import type { ProgressEvent } from '../../shared/protocol';
import {
  DASHBOARD_VIEW_TYPE, parseDashboardMessage, parseDashboardState,
  type DashboardRunInfo, type DashboardState, type DashboardToHostMessage, type HostToDashboardMessage,
} from '../../shared/webviewProtocol';
import { loadRunInfo } from '../runs/runInfo';
import type { PanelContext } from './context';
import { panelLog } from './log';
import { l10nBundle, PanelHost, PanelRegistry, type PanelKind, type PanelRestorer } from './panelHost';

const KIND: PanelKind<DashboardToHostMessage> = {
  viewType: DASHBOARD_VIEW_TYPE,
  logName: 'dashboard',
  icon: 'dashboard',
  script: 'dashboard',
  styles: ['panels.css', 'dashboard.css'],
  parse: parseDashboardMessage,
};

function dashboardTitle(runDir: string): string {
  return vscode.l10n.t('Training: {0}', path.basename(runDir));
}

export class DashboardPanel extends PanelHost<DashboardToHostMessage, HostToDashboardMessage> {
  /** One dashboard per run directory. */
  private static readonly registry = new PanelRegistry<DashboardPanel>();
  private events: ProgressEvent[];
  /** True once the webview said `ready` (and got the history); until then events are only kept. */
  private ready = false;
  /** Counts history sends: one superseded while it read the run directory is dropped. */
  private historyGeneration = 0;

  /** Opens the dashboard of `runDir` with its history so far, or reveals the open one. */
  static createOrShow(context: PanelContext, runDir: string, history: readonly ProgressEvent[]): DashboardPanel {
    return DashboardPanel.registry.showOrCreate(
      runDir,
      { extensionUri: context.extensionUri, viewType: DASHBOARD_VIEW_TYPE, title: dashboardTitle(runDir), placement: { viewColumn: vscode.ViewColumn.Active, preserveFocus: true } },
      open => open.setHistory(history),
      panel => new DashboardPanel(panel, context, runDir, history),
    );
  }

  /** Adopts a panel VS Code restored after a reload (see dashboardRestorer). */
  static revive(panel: vscode.WebviewPanel, context: PanelContext, runDir: string, history: readonly ProgressEvent[]): DashboardPanel {
    return DashboardPanel.registry.revive(runDir, panel, context.extensionUri, open => open.setHistory(history), restored => new DashboardPanel(restored, context, runDir, history));
  }

  /** The open dashboard of `runDir`, if any (for tests and the host). */
  static get(runDir: string): DashboardPanel | undefined {
    return DashboardPanel.registry.get(runDir);
  }

  private constructor(
    panel: vscode.WebviewPanel,
    context: PanelContext,
    readonly runDir: string,
    history: readonly ProgressEvent[],
  ) {
    super(panel, KIND, { registry: DashboardPanel.registry, key: runDir }, context.extensionUri, {
      title: dashboardTitle(runDir),
      loading: vscode.l10n.t('Loading training data…'),
    });
    this.events = [...history];
    this.disposables.push(context.training.onDidProgress(progress => {
      if (progress.runDir === runDir) this.append(progress.event);
    }));
  }

  protected override onDidChangeVisibility(visible: boolean): void {
    if (!visible) {
      this.ready = false;
      this.historyGeneration++;
    }
  }

  private setHistory(history: readonly ProgressEvent[]): void {
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
    this.post(this.history(run));
  }

  /** The whole run so far, with the translation bundle the webview renders with. */
  private history(run: DashboardRunInfo): HostToDashboardMessage {
    return { type: 'history', runDir: this.runDir, events: this.events, run, ...l10nBundle() };
  }

  private append(event: ProgressEvent): void {
    this.events.push(event);
    if (this.ready) this.post({ type: 'event', event });
  }

  protected onMessage(message: Exclude<DashboardToHostMessage, { type: 'error' }>): void {
    if (message.type === 'ready') void this.sendHistory();
  }
}

/** Restores a dashboard with its run's history (from memory or metrics.jsonl). */
export function dashboardRestorer(context: PanelContext): PanelRestorer<DashboardState> {
  return {
    viewType: DASHBOARD_VIEW_TYPE,
    logName: 'dashboard',
    parseState: parseDashboardState,
    async revive(panel, state) {
      let history: ProgressEvent[] = [];
      try {
        history = await context.training.history(state.runDir);
      } catch (e) {
        panelLog().warn(`dashboard: history of ${state.runDir} not loaded: ${String(e)}`);
      }
      DashboardPanel.revive(panel, context, state.runDir, history);
    },
  };
}
