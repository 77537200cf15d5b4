/**
 * One training at a time, from start (or resume) to its end: the TrainRequest to the engine,
 * the cancellable progress notification, the status bar item and the in-memory history of every
 * run this window trained. When the engine dies mid-run the run's manifest still says
 * `running`; the controller marks it `interrupted` so it can be resumed.
 *
 * It knows no panel: the dashboard, the attention view and the experiment log subscribe to its
 * events (onDidStart, onDidProgress, onDidEnd).
 */
import * as path from 'path';
import * as vscode from 'vscode';
import type { Seq2SeqConfig } from '../../shared/config';
import type { ProgressEvent, TrainRequest, TrainResult } from '../../shared/protocol';
import type { EngineClient } from '../engineClient/engineClient';
import { isEngineCrashed } from '../engineClient/errors';
import { loadHistory } from '../runs/history';
import { markInterrupted } from '../runs/manifest';
import type { RunStore } from '../runs/runStore';
import { describeError, showEngineError } from './notify';
import type { TrainingStatusBar } from './statusBar';

export interface TrainStart {
  config: Partial<Seq2SeqConfig>;
  task?: string;
  dataPath?: string;
  /** Names the run folder (default: the task or the data file's name). */
  label?: string;
}

export interface TrainOutcome {
  runDir: string;
  result?: TrainResult;
  /** Set when the run did not end with a result (engine crash, refused request). */
  error?: unknown;
}

export interface TrainingDeps {
  engine: EngineClient;
  runs: RunStore;
  statusBar: TrainingStatusBar;
  log: vscode.LogOutputChannel;
  /** Applied under the form's values (e.g. the time-limit setting). */
  defaults: () => Partial<Seq2SeqConfig>;
  /** Told about every completed run (it becomes the selected model). */
  onCompleted: (runDir: string) => void;
}

/** A run starts or resumes: its request and the events it already had (a resumed run's). */
export interface TrainingStarted {
  runDir: string;
  params: TrainRequest.Params;
  history: readonly ProgressEvent[];
}

/** One progress event of a run this controller trains (runDir resolved). */
export interface TrainingProgress {
  runDir: string;
  event: ProgressEvent;
}

/** Follows every run this controller trains; must not throw (it is told, not asked). */
export interface TrainingObserver {
  started(runDir: string, params: TrainRequest.Params): void;
  progress(runDir: string, event: ProgressEvent): void;
  ended(outcome: TrainOutcome): void;
}

/** What the controller tells its subscribers (panels, the experiment log). */
export interface TrainingEvents {
  readonly onDidStart: vscode.Event<TrainingStarted>;
  readonly onDidProgress: vscode.Event<TrainingProgress>;
  /** The run ended (completed, stopped, failed or crashed), after its manifest was brought up to date. */
  readonly onDidEnd: vscode.Event<TrainOutcome>;
}

/** Subscribes `observer` to `events`; one disposable for the three subscriptions. */
export function observeTraining(events: TrainingEvents, observer: TrainingObserver): vscode.Disposable {
  const subscriptions = [
    events.onDidStart(e => observer.started(e.runDir, e.params)),
    events.onDidProgress(e => observer.progress(e.runDir, e.event)),
    events.onDidEnd(outcome => observer.ended(outcome)),
  ];
  return { dispose: () => subscriptions.forEach(s => s.dispose()) };
}

/** Context key for `when` clauses: true while a run trains (Stop Training shows then). */
const TRAINING_CONTEXT = 'seq2seqLab.training';

interface ActiveTraining {
  runDir: string;
  cancellation: vscode.CancellationTokenSource;
  done: Promise<TrainOutcome>;
}

export class TrainingController implements TrainingEvents, vscode.Disposable {
  private active: ActiveTraining | undefined;
  private readonly histories = new Map<string, ProgressEvent[]>();
  private readonly subscription: vscode.Disposable;
  private readonly didStart = new vscode.EventEmitter<TrainingStarted>();
  private readonly didProgress = new vscode.EventEmitter<TrainingProgress>();
  private readonly didEnd = new vscode.EventEmitter<TrainOutcome>();
  readonly onDidStart = this.didStart.event;
  readonly onDidProgress = this.didProgress.event;
  readonly onDidEnd = this.didEnd.event;

  constructor(private readonly deps: TrainingDeps) {
    this.subscription = deps.engine.onProgress(({ runDir, event }) => this.onProgress(path.resolve(runDir), event));
  }

  /** The run being trained, if any. */
  get activeRunDir(): string | undefined {
    return this.active?.runDir;
  }

  /** Resolves when the active training (if any) has ended. */
  get whenIdle(): Promise<TrainOutcome | undefined> {
    return this.active?.done ?? Promise.resolve(undefined);
  }

  /** The run's events: from memory for runs this window trained, else rebuilt from metrics.jsonl. */
  async history(runDir: string): Promise<ProgressEvent[]> {
    const dir = path.resolve(runDir);
    return this.histories.get(dir) ?? loadHistory(dir);
  }

  /**
   * Starts a new run. Throws at once (not in the promise) when a run is already training, so the
   * form can show why it did not start.
   */
  start(request: TrainStart): Promise<TrainOutcome> {
    this.assertIdle();
    const label = request.label ?? request.task ?? (request.dataPath ? path.parse(request.dataPath).name : 'run');
    const runDir = path.resolve(this.deps.runs.newRunDir(label));
    const params: TrainRequest.Params = { runDir, config: { ...this.deps.defaults(), ...request.config } };
    if (request.task !== undefined) params.task = request.task;
    if (request.dataPath !== undefined) params.dataPath = request.dataPath;
    return this.run(runDir, params, []);
  }

  /** Continues a cancelled or interrupted run from its last checkpoint. */
  async resume(runDir: string): Promise<TrainOutcome> {
    this.assertIdle();
    const dir = path.resolve(runDir);
    const history = [...(await this.history(dir))];
    return this.run(dir, { runDir: dir, resume: true }, history);
  }

  /** Stops the active training (the engine saves a checkpoint first). Returns false when none runs. */
  stop(): boolean {
    if (!this.active) return false;
    this.deps.log.info(`training: stop requested for ${this.active.runDir}`);
    this.active.cancellation.cancel();
    return true;
  }

  private assertIdle(): void {
    if (this.active) {
      throw new Error(vscode.l10n.t('A run is already training ({0}). Stop it first.', path.basename(this.active.runDir)));
    }
  }

  private run(runDir: string, params: TrainRequest.Params, history: ProgressEvent[]): Promise<TrainOutcome> {
    const cancellation = new vscode.CancellationTokenSource();
    this.histories.set(runDir, history);
    this.didStart.fire({ runDir, params, history: [...history] });
    const lastEpoch = [...history].reverse().find(e => e.kind === 'step' || e.kind === 'eval');
    this.deps.statusBar.start(runDir, lastEpoch && 'epoch' in lastEpoch ? lastEpoch.epoch : 0);
    this.deps.log.info(`training: ${params.resume ? 'resuming' : 'starting'} ${runDir}`);

    const done = Promise.resolve(
      vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: vscode.l10n.t('Training {0}', path.basename(runDir)),
          cancellable: true,
        },
        async (progress, token) => {
          // The notification's Cancel and "Stop Training" both end in the one cancellation source.
          const link = token.onCancellationRequested(() => cancellation.cancel());
          const report = this.progressReporter(runDir, progress);
          try {
            const result = await this.deps.engine.train(params, cancellation.token);
            return { runDir, result } as TrainOutcome;
          } catch (error) {
            return { runDir, error } as TrainOutcome;
          } finally {
            report.dispose();
            link.dispose();
          }
        },
      ),
    ).then(outcome => this.finish(outcome));
    this.active = { runDir, cancellation, done };
    void vscode.commands.executeCommand('setContext', TRAINING_CONTEXT, true);
    return done;
  }

  /** Forwards progress of `runDir` to the notification (fraction done, epoch and loss). */
  private progressReporter(runDir: string, progress: vscode.Progress<{ message?: string; increment?: number }>): vscode.Disposable {
    let reported = 0;
    return this.deps.engine.onProgress(({ runDir: dir, event }) => {
      if (path.resolve(dir) !== runDir || event.kind !== 'step') return;
      const percent = Math.max(0, Math.min(100, event.fractionDone * 100));
      progress.report({
        increment: percent > reported ? percent - reported : undefined,
        message: vscode.l10n.t('epoch {0} · loss {1}', event.epoch + 1, event.loss.toFixed(3)),
      });
      reported = Math.max(reported, percent);
    });
  }

  private onProgress(runDir: string, event: ProgressEvent): void {
    const history = this.histories.get(runDir);
    if (!history) return;
    history.push(event);
    this.didProgress.fire({ runDir, event });
    if (runDir === this.active?.runDir) this.deps.statusBar.update(event);
    // The manifest exists from the start event on; checkpoints change what resume would do.
    if (event.kind === 'start' || event.kind === 'checkpoint') this.deps.runs.refresh();
  }

  private async finish(outcome: TrainOutcome): Promise<TrainOutcome> {
    const { runDir, result, error } = outcome;
    this.active?.cancellation.dispose();
    this.active = undefined;
    void vscode.commands.executeCommand('setContext', TRAINING_CONTEXT, false);
    this.deps.statusBar.hide();
    const name = path.basename(runDir);
    if (result) {
      this.deps.log.info(`training: ${name} ended ${result.state} (${result.stopReason})`);
      if (result.state === 'completed') {
        this.deps.onCompleted(runDir);
        const exact = (result.metrics.exactMatch * 100).toFixed(1);
        void vscode.window.showInformationMessage(vscode.l10n.t('Training {0} completed: {1} % exact match on the test split.', name, exact));
      } else if (result.state === 'cancelled') {
        void vscode.window.showInformationMessage(vscode.l10n.t('Training {0} stopped; its checkpoint is saved. Run "Seq2Seq: Resume Training" to continue.', name));
      }
    } else if (isEngineCrashed(error)) {
      try {
        await markInterrupted(runDir, error.message);
      } catch (e) {
        this.deps.log.error(`training: could not mark ${runDir} interrupted: ${describeError(e)}`);
      }
      this.deps.log.error(`training: ${name} interrupted: ${error.message}`);
      void showEngineError(
        vscode.l10n.t('The engine stopped unexpectedly while training {0}. The run is marked interrupted and can be resumed.', name),
        this.deps.log,
      );
    } else {
      this.deps.log.error(`training: ${name} failed: ${describeError(error)}`);
      void showEngineError(vscode.l10n.t('Training {0} failed: {1}', name, describeError(error)), this.deps.log);
    }
    this.deps.runs.refresh();
    this.didEnd.fire(outcome);
    return outcome;
  }

  dispose(): void {
    this.active?.cancellation.cancel();
    this.subscription.dispose();
    this.didStart.dispose();
    this.didProgress.dispose();
    this.didEnd.dispose();
  }
}
