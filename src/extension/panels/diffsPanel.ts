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
import {
  DIFFS_VIEW_TYPE, parseDiffsMessage, parseDiffsState,
  type CheckpointRef, type DiffsRequest, type DiffsRunInfo, type DiffsState, type DiffsToHostMessage, type HostToDiffsMessage, type PredictionSet,
} from '../../shared/diffsProtocol';
import type { ResolvedShape } from '../../shared/config';
import { SHAPES } from '../../shared/shapes';
import { EngineCancelledError } from '../engineClient/errors';
import { loadShapeInfo } from '../runs/shapeInfo';
import { describeError } from '../training/notify';
import type { PanelContext } from './context';
import { panelLog } from './log';
import { l10nBundle, PanelHost, PanelRegistry, type PanelKind, type PanelRestorer } from './panelHost';

const KIND: PanelKind<DiffsToHostMessage> = {
  viewType: DIFFS_VIEW_TYPE,
  logName: 'diffs',
  icon: 'diffs',
  script: 'diffs',
  styles: ['panels.css', 'diffs.css'],
  parse: parseDiffsMessage,
};

let nextProgressId = 1;
/** Registry keys: diffs panels are never reused, each request opens its own. */
let nextPanelId = 1;

function runName(ref: CheckpointRef): string {
  return path.basename(ref.runDir);
}

/** The panel's title; one run's title names its shape's view once the shape is known. */
export function diffsTitle(request: DiffsRequest, shape: ResolvedShape = 'seq2seq'): string {
  const { a, b } = request;
  if (!b) {
    switch (SHAPES[shape].view) {
      case 'confusion': return vscode.l10n.t('Confusion matrix: {0}', runName(a));
      case 'tags': return vscode.l10n.t('Tagged predictions: {0}', runName(a));
      case 'diffs': return vscode.l10n.t('Prediction diffs: {0}', runName(a));
    }
  }
  if (a.runDir === b.runDir) return vscode.l10n.t('Compare checkpoints: {0} ({1} vs {2})', runName(a), a.checkpoint, b.checkpoint);
  return vscode.l10n.t('Compare runs: {0} vs {1}', runName(a), runName(b));
}

export class DiffsPanel extends PanelHost<DiffsToHostMessage, HostToDiffsMessage> {
  private static readonly registry = new PanelRegistry<DiffsPanel>();
  private cancellation: vscode.CancellationTokenSource | undefined;
  private result: { a: PredictionSet; b?: PredictionSet } | undefined;
  /** A's shape and (classify) evaluation matrices, read once from its run directory. */
  private runInfo: Promise<DiffsRunInfo> | undefined;

  /** Opens a new diffs panel for `request` and starts predicting. */
  static open(context: PanelContext, request: DiffsRequest): DiffsPanel {
    const key = `diffs-${nextPanelId++}`;
    return DiffsPanel.registry.showOrCreate(
      key,
      { extensionUri: context.extensionUri, viewType: DIFFS_VIEW_TYPE, title: diffsTitle(request), placement: { viewColumn: vscode.ViewColumn.Active } },
      () => undefined,
      panel => new DiffsPanel(panel, context, request, key),
    );
  }

  /** Adopts a panel VS Code restored after a reload: predicts its saved request again. */
  static revive(panel: vscode.WebviewPanel, context: PanelContext, request: DiffsRequest): DiffsPanel {
    const key = `diffs-${nextPanelId++}`;
    return DiffsPanel.registry.revive(key, panel, context.extensionUri, () => undefined, restored => new DiffsPanel(restored, context, request, key));
  }

  /** The open diffs panels (for tests). */
  static get all(): readonly DiffsPanel[] {
    return DiffsPanel.registry.all;
  }

  private constructor(
    panel: vscode.WebviewPanel,
    private readonly context: PanelContext,
    readonly request: DiffsRequest,
    key: string,
  ) {
    super(panel, KIND, { registry: DiffsPanel.registry, key }, context.extensionUri, {
      title: diffsTitle(request),
      loading: vscode.l10n.t('Predicting…'),
    });
  }

  protected onMessage(message: Exclude<DiffsToHostMessage, { type: 'error' }>): void {
    switch (message.type) {
      case 'ready':
        void this.start();
        break;
      case 'cancel':
        this.cancellation?.cancel();
        break;
      case 'retry':
        if (!this.cancellation) void this.predictAll();
        break;
    }
  }

  /**
   * On (every) `ready`: reads run A's shape (config.json, quick) so the title names its view,
   * sends the request, and for a run that is not seq2seq its shape and evaluations, so its view
   * can show what it has before the predictions; then the predictions (kept, or predicted now).
   */
  private async start(): Promise<void> {
    this.runInfo ??= loadShapeInfo(this.request.a.runDir, problem => panelLog().warn(`diffs: ${problem}`));
    const run = await this.runInfo;
    if (this.disposed) return;
    const title = diffsTitle(this.request, run.shape);
    this.panel.title = title;
    this.post({ type: 'request', request: this.request, title, ...l10nBundle() });
    if (run.shape !== 'seq2seq') this.post({ type: 'run', run });
    if (this.result) this.post({ type: 'predictions', ...this.result });
    else if (!this.cancellation) void this.predictAll();
  }

  /** Predicts A (and B), forwarding progress; ends with `predictions` or `failed`. */
  private async predictAll(): Promise<void> {
    const cancellation = new vscode.CancellationTokenSource();
    this.cancellation = cancellation;
    try {
      const a = await this.predict(this.request.a, this.request.b ? 'A' : '', cancellation.token);
      const b = this.request.b ? await this.predict(this.request.b, 'B', cancellation.token) : undefined;
      this.result = { a, b };
      this.post({ type: 'predictions', a, b });
    } catch (error) {
      const message = error instanceof EngineCancelledError || cancellation.token.isCancellationRequested
        ? vscode.l10n.t('Prediction cancelled.')
        : vscode.l10n.t('Prediction failed: {0}', describeError(error));
      if (!this.disposed) panelLog().warn(`diffs: ${message}`);
      this.post({ type: 'failed', message });
    } finally {
      cancellation.dispose();
      if (this.cancellation === cancellation) this.cancellation = undefined;
    }
  }

  private async predict(ref: CheckpointRef, side: string, token: vscode.CancellationToken): Promise<PredictionSet> {
    const progressId = `diffs-${process.pid}-${nextProgressId++}`;
    const name = runName(ref);
    const label = `${side ? `${side}: ` : ''}${name} · ${ref.checkpoint}`;
    this.post({ type: 'progress', label, done: 0, total: 0 });
    // One checkpoint: its samples show as they come (partial data); two: progress only.
    const streaming = !this.request.b;
    const listener = this.context.engine.onPredictProgress(p => {
      if (p.progressId !== progressId) return;
      if (streaming && p.samples.length) this.post({ type: 'partial', label, samples: p.samples, done: p.done, total: p.total });
      else this.post({ type: 'progress', label, done: p.done, total: p.total });
    });
    try {
      const result = await this.context.engine.predict({ runDir: ref.runDir, split: this.request.split, checkpoint: ref.checkpoint, progressId }, token);
      return {
        label: vscode.l10n.t('{0} · {1} checkpoint (step {2}) · {3} split', name, result.checkpoint, result.step, result.split),
        runDir: ref.runDir,
        split: result.split,
        checkpoint: result.checkpoint,
        step: result.step,
        joiner: result.joiner,
        targetUnit: result.targetUnit,
        shape: result.shape,
        samples: result.samples,
      };
    } finally {
      listener.dispose();
    }
  }

  protected override onWillDispose(): void {
    this.cancellation?.cancel();
  }
}

/** Restores a diffs panel: its saved request is predicted again. */
export function diffsRestorer(context: PanelContext): PanelRestorer<DiffsState> {
  return {
    viewType: DIFFS_VIEW_TYPE,
    logName: 'diffs',
    parseState: parseDiffsState,
    revive: (panel, state) => void DiffsPanel.revive(panel, context, state.request),
  };
}
