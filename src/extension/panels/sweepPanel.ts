/**
 * A sweep's page (webview/sweep): progress of its trials (completed, running, queued, pruned),
 * the parallel-coordinates plot, metric vs one setting with mean ± std over seeds, the trials,
 * and "Train with the best settings" (queues a run with the best trial's data and settings,
 * through `seq2seqLab.queueFromRun`). One panel per sweep, live: it follows the runs directory,
 * the queue and every evaluation this window's trainings report. Restores after a reload.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { parseSweepMessage, parseSweepState, SWEEP_VIEW_TYPE, type HostToSweepMessage, type SweepPageData, type SweepState, type SweepToHostMessage } from '../../shared/sweepPage';
import { COMMANDS } from '../commandIds';
import { ExperimentRows } from '../runs/experimentRows';
import { sweepPageData } from '../runs/sweepTrials';
import type { PanelContext } from './context';
import { panelLog } from './log';
import { l10nBundle, PanelHost, PanelRegistry, type PanelKind, type PanelRestorer } from './panelHost';

const KIND: PanelKind<SweepToHostMessage> = {
  viewType: SWEEP_VIEW_TYPE,
  logName: 'sweep',
  icon: 'experiments',
  script: 'sweep',
  styles: ['panels.css', 'sweep.css'],
  parse: parseSweepMessage,
};

export function sweepTitle(id: string): string {
  return vscode.l10n.t('Sweep {0}', id);
}

export class SweepPanel extends PanelHost<SweepToHostMessage, HostToSweepMessage> {
  private static readonly registry = new PanelRegistry<SweepPanel>();
  private readonly rows = new ExperimentRows(problem => panelLog().warn(`sweep: ${problem}`));
  private ready = false;
  private refreshTimer: NodeJS.Timeout | undefined;
  private shown: SweepPageData | undefined;

  static show(context: PanelContext, id: string): SweepPanel {
    return SweepPanel.registry.showOrCreate(
      id,
      { extensionUri: context.extensionUri, viewType: SWEEP_VIEW_TYPE, title: sweepTitle(id), placement: { viewColumn: vscode.ViewColumn.Active } },
      open => open.scheduleRefresh(),
      panel => new SweepPanel(panel, context, id),
    );
  }

  static revive(panel: vscode.WebviewPanel, context: PanelContext, id: string): SweepPanel {
    return SweepPanel.registry.revive(id, panel, context.extensionUri, () => undefined, restored => new SweepPanel(restored, context, id));
  }

  static get(id: string): SweepPanel | undefined {
    return SweepPanel.registry.get(id);
  }

  private constructor(panel: vscode.WebviewPanel, private readonly context: PanelContext, readonly sweepId: string) {
    super(panel, KIND, { registry: SweepPanel.registry, key: sweepId }, context.extensionUri, { title: sweepTitle(sweepId), loading: vscode.l10n.t('Reading the sweep…') });
    this.disposables.push(
      context.runs.onDidChange(() => this.scheduleRefresh()),
      context.queue.onDidChange(() => this.scheduleRefresh()),
      context.training.onDidProgress(({ event }) => event.kind === 'eval' && this.scheduleRefresh()),
      context.training.onDidEnd(() => this.scheduleRefresh()),
    );
  }

  /** What was last sent (for tests). */
  get shownSweep(): SweepPageData | undefined {
    return this.shown;
  }

  protected override onDidChangeVisibility(visible: boolean): void {
    if (visible) this.scheduleRefresh();
  }

  private scheduleRefresh(): void {
    if (this.disposed || !this.ready) return;
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => void this.send(), 200);
  }

  private async send(): Promise<void> {
    if (this.disposed) return;
    let message: HostToSweepMessage;
    try {
      const rows = await this.rows.rows(await this.context.runs.list(), () => undefined);
      const queue = this.context.queue;
      this.shown = sweepPageData(this.sweepId, rows, queue.list(), id => queue.isRunning(id));
      message = { type: 'sweep', sweep: this.shown, trusted: vscode.workspace.isTrusted, ...l10nBundle() };
    } catch (error) {
      message = { type: 'failed', message: vscode.l10n.t('Cannot read the runs directory {0}: {1}', this.context.runs.directory, (error as Error).message) };
    }
    this.post(message);
  }

  protected async onMessage(message: Exclude<SweepToHostMessage, { type: 'error' }>): Promise<void> {
    if (message.type === 'ready') {
      this.ready = true;
      await this.send();
      return;
    }
    // Only a trial's own run directory, as this page sent it.
    const dir = path.resolve(message.runDir);
    if (!this.shown?.trials.some(t => t.runDir === dir)) {
      panelLog().warn(`sweep: ignored a message naming ${dir}, which is not a trial of ${this.sweepId}`);
      return;
    }
    if (message.type === 'open') await vscode.commands.executeCommand(COMMANDS.openRun, dir);
    else await vscode.commands.executeCommand(COMMANDS.queueFromRun, dir);
  }

  protected override onWillDispose(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
  }
}

/** Restores a sweep page: its trials are read again. */
export function sweepRestorer(context: PanelContext): PanelRestorer<SweepState> {
  return {
    viewType: SWEEP_VIEW_TYPE,
    logName: 'sweep',
    parseState: parseSweepState,
    revive: (panel, state) => void SweepPanel.revive(panel, context, state.sweepId),
  };
}
