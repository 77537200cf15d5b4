/**
 * The prediction diffs panel (webview/diffs): a run's validation or test split predicted with
 * a checkpoint, reference and prediction aligned token by token — or two checkpoints (best vs
 * last of a run, or two runs on the same data) compared sample by sample.
 *
 * The panel never waits on the engine: it opens with a loading state, shows the engine's
 * progress, can cancel the request, and restores after a reload from the request it saved.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { DIFFS_VIEW_TYPE, parseDiffsMessage, type CheckpointRef, type DiffsRequest, type HostToDiffsMessage, type PredictionSet } from '../../shared/diffsProtocol';
import type { EngineClient } from '../engineClient/engineClient';
import { EngineCancelledError } from '../engineClient/errors';
import { describeError } from '../training/notify';
import { panelHtml, panelOptions, webviewOptions } from './html';
import { panelLog } from './log';
import { loadingBody } from '../../shared/webviewShell';

export interface DiffsDeps {
  engine: EngineClient;
  extensionUri: vscode.Uri;
}

let nextProgressId = 1;

function runName(ref: CheckpointRef): string {
  return path.basename(ref.runDir);
}

export function diffsTitle(request: DiffsRequest): string {
  const { a, b } = request;
  if (!b) return vscode.l10n.t('Prediction diffs: {0}', runName(a));
  if (a.runDir === b.runDir) return vscode.l10n.t('Compare checkpoints: {0} ({1} vs {2})', runName(a), a.checkpoint, b.checkpoint);
  return vscode.l10n.t('Compare runs: {0} vs {1}', runName(a), runName(b));
}

export class DiffsPanel {
  private static readonly panels = new Set<DiffsPanel>();
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;
  private cancellation: vscode.CancellationTokenSource | undefined;
  private result: { a: PredictionSet; b?: PredictionSet } | undefined;

  /** Opens a new diffs panel for `request` and starts predicting. */
  static open(deps: DiffsDeps, request: DiffsRequest): DiffsPanel {
    const panel = vscode.window.createWebviewPanel(DIFFS_VIEW_TYPE, diffsTitle(request), { viewColumn: vscode.ViewColumn.Active }, panelOptions(deps.extensionUri));
    return new DiffsPanel(panel, deps, request);
  }

  /** Adopts a panel VS Code restored after a reload: predicts its saved request again. */
  static revive(panel: vscode.WebviewPanel, deps: DiffsDeps, request: DiffsRequest): DiffsPanel {
    panel.webview.options = webviewOptions(deps.extensionUri);
    return new DiffsPanel(panel, deps, request);
  }

  /** The open diffs panels (for tests). */
  static get all(): readonly DiffsPanel[] {
    return [...DiffsPanel.panels];
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly deps: DiffsDeps,
    readonly request: DiffsRequest,
  ) {
    DiffsPanel.panels.add(this);
    panel.title = diffsTitle(request);
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'icons', 'diffs.svg');
    panel.webview.html = panelHtml(panel.webview, deps.extensionUri, {
      title: diffsTitle(request),
      script: 'diffs',
      styles: ['panels.css', 'diffs.css'],
      body: loadingBody(vscode.l10n.t('Predicting…')),
    });
    this.disposables.push(
      panel.webview.onDidReceiveMessage(message => this.onMessage(message)),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  private send(message: HostToDiffsMessage): void {
    if (!this.disposed) void this.panel.webview.postMessage(message);
  }

  private onMessage(raw: unknown): void {
    const parsed = parseDiffsMessage(raw);
    if (!parsed.ok) {
      panelLog().warn(`diffs: dropped an invalid message: ${parsed.error}`);
      return;
    }
    const message = parsed.value;
    switch (message.type) {
      case 'ready':
        this.send({ type: 'request', request: this.request, title: diffsTitle(this.request), ...(vscode.l10n.bundle ? { l10n: vscode.l10n.bundle } : {}) });
        if (this.result) this.send({ type: 'predictions', ...this.result });
        else if (!this.cancellation) void this.predictAll();
        break;
      case 'cancel':
        this.cancellation?.cancel();
        break;
      case 'retry':
        if (!this.cancellation) void this.predictAll();
        break;
      case 'error':
        panelLog().error(`diffs webview: ${message.message}`);
        break;
    }
  }

  /** Predicts A (and B), forwarding progress; ends with `predictions` or `failed`. */
  private async predictAll(): Promise<void> {
    const cancellation = new vscode.CancellationTokenSource();
    this.cancellation = cancellation;
    try {
      const a = await this.predict(this.request.a, this.request.b ? 'A' : '', cancellation.token);
      const b = this.request.b ? await this.predict(this.request.b, 'B', cancellation.token) : undefined;
      this.result = { a, b };
      this.send({ type: 'predictions', a, b });
    } catch (error) {
      const message = error instanceof EngineCancelledError || cancellation.token.isCancellationRequested
        ? vscode.l10n.t('Prediction cancelled.')
        : vscode.l10n.t('Prediction failed: {0}', describeError(error));
      if (!this.disposed) panelLog().warn(`diffs: ${message}`);
      this.send({ type: 'failed', message });
    } finally {
      cancellation.dispose();
      if (this.cancellation === cancellation) this.cancellation = undefined;
    }
  }

  private async predict(ref: CheckpointRef, side: string, token: vscode.CancellationToken): Promise<PredictionSet> {
    const progressId = `diffs-${process.pid}-${nextProgressId++}`;
    const name = runName(ref);
    const label = `${side ? `${side}: ` : ''}${name} · ${ref.checkpoint}`;
    this.send({ type: 'progress', label, done: 0, total: 0 });
    // One checkpoint: its samples show as they come (partial data); two: progress only.
    const streaming = !this.request.b;
    const listener = this.deps.engine.onPredictProgress(p => {
      if (p.progressId !== progressId) return;
      if (streaming && p.samples.length) this.send({ type: 'partial', label, samples: p.samples, done: p.done, total: p.total });
      else this.send({ type: 'progress', label, done: p.done, total: p.total });
    });
    try {
      const result = await this.deps.engine.predict({ runDir: ref.runDir, split: this.request.split, checkpoint: ref.checkpoint, progressId }, token);
      return {
        label: vscode.l10n.t('{0} · {1} checkpoint (step {2}) · {3} split', name, result.checkpoint, result.step, result.split),
        runDir: ref.runDir,
        split: result.split,
        checkpoint: result.checkpoint,
        step: result.step,
        joiner: result.joiner,
        targetUnit: result.targetUnit,
        samples: result.samples,
      };
    } finally {
      listener.dispose();
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    DiffsPanel.panels.delete(this);
    this.cancellation?.cancel();
    this.panel.dispose();
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }
}
