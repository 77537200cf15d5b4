/**
 * The trainings of this window, from start (or resume) to their end — one at a time, or up to
 * the queue's concurrency, each extra one in an engine process of its own: the TrainRequest to the engine,
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
import { dataChoiceOf, type LabelledRunRequest } from '../../shared/dataChoice';


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
  /** A further engine process, for a run that trains while another does (the queue's concurrency); disposed when that run ends. */
  spawnEngine?: () => EngineClient;
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
  /** The engine process it trains in: the main one, or one spawned for it (disposed at its end). */
  engine: EngineClient;
  spawned?: vscode.Disposable;
}

/** How a run may start: alone (the default), or beside others up to `concurrency` runs. */
export interface StartOptions {
  concurrency?: number;
  /** Extra fields of the engine's request (a sweep trial's membership and pruning). */
  extra?: Pick<TrainRequest.Params, 'sweep'>;
}

export class TrainingController implements TrainingEvents, vscode.Disposable {
  /** The trainings in progress, in the order they started. */
  private readonly actives = new Map<string, ActiveTraining>();
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

  /** The run being trained (the latest started, when several train), if any. */
  get activeRunDir(): string | undefined {
    return [...this.actives.keys()].pop();
  }

  /** Every run training now, in the order they started. */
  get activeRunDirs(): string[] {
    return [...this.actives.keys()];
  }

  /** Resolves when no training is left (those that start meanwhile included). */
  get whenIdle(): Promise<TrainOutcome | undefined> {
    return (async () => {
      let last: TrainOutcome | undefined;
      while (this.actives.size) last = (await Promise.all([...this.actives.values()].map(a => a.done))).pop();
      return last;
    })();
  }

  /** Resolves when one of the trainings ends (at once when none trains). */
  whenOneEnds(): Promise<unknown> {
    return this.actives.size ? Promise.race([...this.actives.values()].map(a => a.done)) : Promise.resolve();
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
  start(request: LabelledRunRequest, options: StartOptions = {}): Promise<TrainOutcome> {
    this.assertRoom(options.concurrency);
    const label = request.label ?? (request.task !== undefined ? request.task : path.parse(request.dataPath).name);
    const runDir = path.resolve(this.deps.runs.newRunDir(label));
    return this.run(runDir, { runDir, config: { ...this.deps.defaults(), ...request.config }, ...dataChoiceOf(request), ...options.extra }, []);
  }

  /**
   * Starts a new run from `sourceDir`'s best checkpoint (its data and model), `config`
   * overriding its training settings: fine-tuning, e.g. with objective rl.
   */
  finetune(sourceDir: string, config: Partial<Seq2SeqConfig>, options: StartOptions = {}): Promise<TrainOutcome> {
    this.assertRoom(options.concurrency);
    const source = path.resolve(sourceDir);
    const runDir = path.resolve(this.deps.runs.newRunDir(`${path.basename(source)}-${config.objective ?? 'finetune'}`));
    return this.run(runDir, { runDir, finetuneFrom: source, config, ...options.extra }, []);
  }

  /** Continues a cancelled or interrupted run from its last checkpoint. */
  async resume(runDir: string, options: StartOptions = {}): Promise<TrainOutcome> {
    this.assertRoom(options.concurrency);
    const dir = path.resolve(runDir);
    const history = [...(await this.history(dir))];
    this.assertRoom(options.concurrency); // another may have started while the history loaded
    return this.run(dir, { runDir: dir, resume: true, ...options.extra }, history);
  }

  /** Stops `runDir`'s training, or every training (the engine saves a checkpoint first). Returns false when none runs. */
  stop(runDir?: string): boolean {
    const targets = [...this.actives.values()].filter(a => runDir === undefined || a.runDir === path.resolve(runDir));
    for (const active of targets) {
      this.deps.log.info(`training: stop requested for ${active.runDir}`);
      active.cancellation.cancel();
    }
    return targets.length > 0;
  }

  /** Throws when no other run may start now: one trains (alone), or `concurrency` do. */
  private assertRoom(concurrency = 1): void {
    const limit = this.deps.spawnEngine ? Math.max(1, Math.floor(concurrency)) : 1;
    if (this.actives.size >= limit) {
      throw new Error(vscode.l10n.t('A run is already training ({0}). Stop it first.', path.basename(this.activeRunDir!)));
    }
  }

  /** The engine for a new training: the main one when it is free, else a fresh process of its own. */
  private engineForRun(runDir: string): { engine: EngineClient; spawned?: vscode.Disposable } {
    const mainBusy = [...this.actives.values()].some(a => a.engine === this.deps.engine);
    if (!mainBusy || !this.deps.spawnEngine) return { engine: this.deps.engine };
    const engine = this.deps.spawnEngine();
    const progress = engine.onProgress(({ runDir: dir, event }) => this.onProgress(path.resolve(dir), event));
    this.deps.log.info(`training: ${path.basename(runDir)} trains in an engine process of its own (queue concurrency)`);
    return { engine, spawned: { dispose: () => { progress.dispose(); engine.dispose(); } } };
  }

  private run(runDir: string, params: TrainRequest.Params, history: ProgressEvent[]): Promise<TrainOutcome> {
    const cancellation = new vscode.CancellationTokenSource();
    const { engine, spawned } = this.engineForRun(runDir);
    this.histories.set(runDir, history);
    this.didStart.fire({ runDir, params, history: [...history] });
    const lastEpoch = [...history].reverse().find(e => e.kind === 'step' || e.kind === 'eval');
    this.deps.statusBar.start(runDir, lastEpoch && 'epoch' in lastEpoch ? lastEpoch.epoch : 0);
    this.deps.log.info(`training: ${params.resume ? 'resuming' : params.finetuneFrom !== undefined ? `fine-tuning ${params.finetuneFrom} into` : 'starting'} ${runDir}`);

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
          const report = this.progressReporter(engine, runDir, progress);
          try {
            const result = await engine.train(params, cancellation.token);
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
    this.actives.set(runDir, { runDir, cancellation, done, engine, spawned });
    void vscode.commands.executeCommand('setContext', TRAINING_CONTEXT, true);
    return done;
  }

  /** Forwards progress of `runDir` to the notification (fraction done, epoch and loss). */
  private progressReporter(engine: EngineClient, runDir: string, progress: vscode.Progress<{ message?: string; increment?: number }>): vscode.Disposable {
    let reported = 0;
    return engine.onProgress(({ runDir: dir, event }) => {
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
    if (runDir === this.activeRunDir) this.deps.statusBar.update(event);
    // The manifest exists from the start event on; checkpoints change what resume would do.
    if (event.kind === 'start' || event.kind === 'checkpoint') this.deps.runs.refresh();
  }

  private async finish(outcome: TrainOutcome): Promise<TrainOutcome> {
    const { runDir, result, error } = outcome;
    const ended = this.actives.get(runDir);
    ended?.cancellation.dispose();
    ended?.spawned?.dispose();
    this.actives.delete(runDir);
    const still = this.activeRunDir;
    if (still) {
      this.deps.statusBar.start(still);
    } else {
      void vscode.commands.executeCommand('setContext', TRAINING_CONTEXT, false);
      this.deps.statusBar.hide();
    }
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
    for (const active of this.actives.values()) {
      active.cancellation.cancel();
      active.spawned?.dispose();
    }
    this.subscription.dispose();
    this.didStart.dispose();
    this.didProgress.dispose();
    this.didEnd.dispose();
  }
}
