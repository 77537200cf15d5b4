/**
 * The status bar item of the running training: "epoch N · loss X"; a click opens the run's
 * dashboard. Updated at most a few times per second whatever the engine's step rate.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import type { ProgressEvent } from '../../shared/protocol';
import { COMMANDS } from '../commandIds';

export class TrainingStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('seq2seqLab.training', vscode.StatusBarAlignment.Left, 50);
  private epoch = 0;
  private loss: number | undefined;
  private lastRender = 0;

  constructor() {
    this.item.name = vscode.l10n.t('Seq2Seq Training');
  }

  start(runDir: string, startEpoch = 0): void {
    this.epoch = startEpoch;
    this.loss = undefined;
    this.item.command = { command: COMMANDS.openDashboard, title: vscode.l10n.t('Open Dashboard'), arguments: [runDir] };
    this.item.tooltip = vscode.l10n.t('Training {0}: click to open its dashboard', path.basename(runDir));
    this.render(true);
    this.item.show();
  }

  update(event: ProgressEvent): void {
    // Only steps: an end-of-epoch evaluation already counts the finished epoch, which would
    // make the item run one epoch ahead of the notification and the dashboard.
    if (event.kind !== 'step') return;
    this.epoch = event.epoch;
    this.loss = event.loss;
    this.render(false);
  }

  hide(): void {
    this.item.hide();
  }

  private render(force: boolean): void {
    const now = Date.now();
    if (!force && now - this.lastRender < 250) return;
    this.lastRender = now;
    // Epochs count from 0 in the engine; people count from 1.
    const epoch = this.epoch + 1;
    this.item.text =
      this.loss === undefined
        ? `$(sync~spin) ${vscode.l10n.t('epoch {0}', epoch)}`
        : `$(sync~spin) ${vscode.l10n.t('epoch {0} · loss {1}', epoch, this.loss.toFixed(3))}`;
  }

  dispose(): void {
    this.item.dispose();
  }
}
