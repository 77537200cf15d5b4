/**
 * The "Train Model" form: one webview (webview/form, built with @vscode/webview-ui-toolkit)
 * whose fields come from CONFIG_FIELDS. The form validates as the user types with the engine's
 * own `checkField`/`validateConfig`; the host validates every `start` again before `onStart`.
 *
 * The form's dataset card: each `inspect` goes to the engine (InspectRequest) and its answer
 * back tagged with the form's `requestId`; a newer `inspect` (or `cancelInspect`, or closing
 * the form) cancels the one in flight, so only the latest settings' card ever arrives.
 */
import * as vscode from 'vscode';
import { validateConfig, type ConfigError, type Seq2SeqConfig } from '../../shared/config';
import type { InspectRequest, TaskInfo } from '../../shared/protocol';
import { expandFormSweep, type SweepTrial } from '../../shared/sweep';
import { parseFormMessage, TRAIN_FORM_VIEW_TYPE, type FormSweep, type FormToHostMessage, type HostToFormMessage } from '../../shared/webviewProtocol';
import { EngineCancelledError } from '../engineClient/errors';
import { describeError } from '../training/notify';
import type { PanelContext } from './context';
import { panelLog } from './log';
import { l10nBundle, PanelHost, PanelRegistry, SINGLE_PANEL, type PanelKind } from './panelHost';
import { type DataChoice, dataChoiceOf, describeDataChoice, type LabelledRunRequest, type RunRequest } from '../../shared/dataChoice';

const KIND: PanelKind<FormToHostMessage> = {
  viewType: TRAIN_FORM_VIEW_TYPE,
  logName: 'train form',
  icon: 'train',
  script: 'form',
  styles: ['panels.css', 'form.css'],
  parse: parseFormMessage,
};

/** The validation messages in the user's language. */
const localized = (template: string, ...args: Array<string | number>) => vscode.l10n.t(template, ...args);

/** A run the form queues: its request, and for a sweep's trial the sweep it belongs to. */
export interface QueuedFromForm {
  request: LabelledRunRequest;
  sweep?: { id: string; trial: number; prune?: boolean; settings?: Record<string, number | string | boolean> };
  /** The sweep's plan and trials, on the first trial of a sweep (the sweep page's record). */
  plan?: { values: Record<string, string>; seeds: number; random: number; trials: SweepTrial[] };
}

export interface TrainFormOptions {
  tasks: TaskInfo[];
  initial?: Partial<Seq2SeqConfig>;
  /** The dataset to preselect (a re-run from the experiment log). */
  initialData?: DataChoice;
  onStart: (request: RunRequest) => void;
  /** Appends runs to the queue (one, or a sweep's trials); resolves to the number waiting. */
  onQueue: (runs: QueuedFromForm[]) => Promise<number>;
  pickDataFile: () => Promise<string | undefined>;
  /** The engine's dataset card (EngineClient.inspect). */
  inspect: (params: InspectRequest.Params, token: vscode.CancellationToken) => Promise<InspectRequest.Result>;
}

export class TrainFormPanel extends PanelHost<FormToHostMessage, HostToFormMessage> {
  private static readonly registry = new PanelRegistry<TrainFormPanel>();
  /** The inspect request in flight (the latest one the form asked for). */
  private inspecting: vscode.CancellationTokenSource | undefined;

  /**
   * Opens the form, or reveals the open one (which then uses the new options). A prefilled form
   * (options.initialData) replaces an open one: a form is filled once, from its first init.
   */
  static createOrShow(context: Pick<PanelContext, 'extensionUri'>, options: TrainFormOptions): TrainFormPanel {
    if (options.initialData) TrainFormPanel.registry.get()?.dispose();
    return TrainFormPanel.registry.showOrCreate(
      SINGLE_PANEL,
      { extensionUri: context.extensionUri, viewType: TRAIN_FORM_VIEW_TYPE, title: vscode.l10n.t('Train Model'), placement: { viewColumn: vscode.ViewColumn.Active } },
      open => (open.options = options),
      panel => new TrainFormPanel(panel, context.extensionUri, options),
    );
  }

  private constructor(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private options: TrainFormOptions,
  ) {
    super(panel, KIND, { registry: TrainFormPanel.registry, key: SINGLE_PANEL }, extensionUri, {
      title: vscode.l10n.t('Train Model'),
      loading: vscode.l10n.t('Loading…'),
    });
  }

  protected async onMessage(message: Exclude<FormToHostMessage, { type: 'error' }>): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.post({
          type: 'init',
          tasks: this.options.tasks,
          initial: this.options.initial ?? {},
          ...(this.options.initialData ? { data: this.options.initialData } : {}),
          // The webview translates its own strings with this bundle (undefined in English).
          ...l10nBundle(),
        });
        return;
      case 'pickDataFile': {
        let path: string | undefined;
        try {
          path = await this.options.pickDataFile();
        } catch (e) {
          panelLog().error(`train form: choosing a data file failed: ${String(e)}`);
        }
        this.post({ type: 'dataFile', path });
        return;
      }
      case 'start':
      case 'queue': {
        const request = this.checkedRequest(message);
        if (!request) return;
        try {
          if (message.type === 'start') {
            this.options.onStart(request);
            this.post({ type: 'started' });
            return;
          }
          const runs = message.sweep ? this.sweepRuns(request, message.sweep) : [{ request }];
          if (!runs) return;
          const waiting = await this.options.onQueue(runs);
          this.post({ type: 'queued', count: runs.length, waiting });
        } catch (e) {
          panelLog().error(`train form: ${message.type === 'start' ? 'starting the run' : 'queueing'} failed: ${String(e)}`);
          this.post({ type: 'startRejected', errors: [{ key: '', message: String(e) }] });
        }
        return;
      }
      case 'inspect': {
        await this.inspect(message.requestId, { config: message.config, ...dataChoiceOf(message) });
        return;
      }
      case 'cancelInspect':
        this.cancelInspect();
        return;
    }
  }

  /** The host's own check of a start or queue (the user's language); posts the errors and returns undefined when refused. */
  private checkedRequest(message: RunRequest): RunRequest | undefined {
    const errors: ConfigError[] = validateConfig(message.config, localized).errors;
    const taskNames = this.options.tasks.map(t => t.name);
    if (message.task !== undefined && !taskNames.includes(message.task)) {
      errors.push({ key: 'task', message: vscode.l10n.t('unknown task "{0}" (one of {1})', message.task, taskNames.join(', ')) });
    }
    if (errors.length) {
      panelLog().warn(`train form: refused: ${errors.map(e => e.message).join('; ')}`);
      this.post({ type: 'startRejected', errors });
      return undefined;
    }
    return { config: message.config, ...dataChoiceOf(message) };
  }

  /** A sweep's trials as queued runs, or undefined (errors posted) when it does not expand. */
  private sweepRuns(request: RunRequest, sweep: FormSweep): QueuedFromForm[] | undefined {
    const { trials, errors } = expandFormSweep(request.config, sweep, localized);
    if (errors.length) {
      panelLog().warn(`train form: refused sweep: ${errors.map(e => e.message).join('; ')}`);
      this.post({ type: 'startRejected', errors });
      return undefined;
    }
    const id = `sweep-${new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)}`;
    return trials.map(trial => ({
      request: { ...request, config: { ...request.config, ...trial.settings }, label: `${id}-t${String(trial.index + 1).padStart(2, '0')}` },
      sweep: { id, trial: trial.index, prune: sweep.prune !== false, settings: trial.settings as Record<string, number | string | boolean> },
      ...(trial.index === 0 ? { plan: { ...sweep, trials } } : {}),
    }));
  }

  private cancelInspect(): void {
    this.inspecting?.cancel();
    this.inspecting = undefined;
  }

  /** Asks the engine for the card; answers unless a newer request (or a cancel) superseded this one. */
  private async inspect(requestId: number, params: InspectRequest.Params): Promise<void> {
    this.cancelInspect();
    const cancellation = new vscode.CancellationTokenSource();
    this.inspecting = cancellation;
    const current = () => this.inspecting === cancellation && !cancellation.token.isCancellationRequested;
    try {
      const card = await this.options.inspect(params, cancellation.token);
      if (current()) this.post({ type: 'dataCard', requestId, card });
    } catch (e) {
      if (e instanceof EngineCancelledError || !current()) return;
      panelLog().warn(`train form: inspecting ${describeDataChoice(params)} failed: ${describeError(e)}`);
      this.post({ type: 'dataCardFailed', requestId, message: describeError(e) });
    } finally {
      if (this.inspecting === cancellation) this.inspecting = undefined;
      cancellation.dispose();
    }
  }

  protected override onWillDispose(): void {
    this.cancelInspect();
  }
}
