/**
 * The run queue in the window: kept in `queue.json` of the runs directory (atomic writes),
 * trained through the TrainingController, shown in the Queue view (Seq2Seq Lab's activity bar)
 * with move up / move down / remove on each waiting run and Clear on the title, and filled by
 * the form's Queue and Sweep buttons and by `seq2seqLab.queueFromRun` (the experiments table).
 */
import { promises as fsp } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { DEFAULT_CONFIG } from '../../shared/config';
import { RUN_FILES } from '../../shared/runDir';
import { COMMANDS, QUEUE_VIEW } from '../commandIds';
import type { RunStore } from '../runs/runStore';
import { queueConcurrency } from '../settings';
import type { TrainingController } from '../training/trainingController';
import { fileQueueLease, fileQueueStore } from './queueFiles';
import { controllerExecutor } from './executor';
import { describe, QueuedRun, RunQueue } from './runQueue';
import { type LabelledRunRequest, readDataChoice } from '../../shared/dataChoice';

/** The swept settings of a queued run in words (`hiddenSize=64 · seed=2`), or its dataset. */
function settingsSummary(item: QueuedRun): string {
  const config = item.request.config as Record<string, unknown>;
  const differing = Object.keys(config).filter(k => JSON.stringify(config[k]) !== JSON.stringify((DEFAULT_CONFIG as unknown as Record<string, unknown>)[k]));
  return differing.slice(0, 4).map(k => `${k}=${String(config[k])}`).join(' · ') + (differing.length > 4 ? ' …' : '');
}

class QueueTreeProvider implements vscode.TreeDataProvider<QueuedRun> {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.emitter.event;

  constructor(private readonly queue: RunQueue) {}

  refresh(): void {
    this.emitter.fire();
  }

  getChildren(element?: QueuedRun): QueuedRun[] {
    return element ? [] : [...this.queue.list()];
  }

  getTreeItem(item: QueuedRun): vscode.TreeItem {
    const position = this.queue.list().indexOf(item) + 1;
    const running = this.queue.isRunning(item.id);
    const name = item.sweep ? vscode.l10n.t('{0} · trial {1}', describe(item), item.sweep.trial + 1) : describe(item);
    const tree = new vscode.TreeItem(`${position}. ${name}`, vscode.TreeItemCollapsibleState.None);
    tree.description = [running ? vscode.l10n.t('training') : vscode.l10n.t('queued'), settingsSummary(item)].filter(Boolean).join(' · ');
    tree.tooltip = new vscode.MarkdownString().appendCodeblock(JSON.stringify(item.request, null, 1), 'json');
    tree.iconPath = new vscode.ThemeIcon(running ? 'sync~spin' : 'clock');
    tree.contextValue = running ? 'queue.running' : 'queue.waiting';
    if (running && item.runDir) tree.command = { command: COMMANDS.openRun, title: vscode.l10n.t('Open Run'), arguments: [item.runDir] };
    return tree;
  }

  dispose(): void {
    this.emitter.dispose();
  }
}

/** A command argument: a tree item (QueuedRun) or its id. */
function idOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  const id = (arg as QueuedRun | undefined)?.id;
  return typeof id === 'string' ? id : undefined;
}

/** What a run directory's config.json says to train again: its settings and dataset. */
export async function requestFromRun(runDir: string): Promise<LabelledRunRequest> {
  const saved = JSON.parse(await fsp.readFile(path.join(runDir, RUN_FILES.config), 'utf8')) as { config?: unknown; data?: unknown };
  if (!saved || typeof saved.config !== 'object' || saved.config === null) throw new Error(vscode.l10n.t('{0} has no settings (config.json)', path.basename(runDir)));
  const data = readDataChoice(saved.data);
  if (!data) throw new Error(vscode.l10n.t('{0} does not say what data it trained on', path.basename(runDir)));
  return { config: saved.config as LabelledRunRequest['config'], ...data };
}

export function createQueue(runs: RunStore, training: TrainingController, log: vscode.LogOutputChannel): { queue: RunQueue; disposables: vscode.Disposable[] } {
  const queue = new RunQueue(fileQueueStore(() => runs.directory, log), controllerExecutor(training, () => runs.directory, queueConcurrency), log, fileQueueLease(() => runs.directory), undefined, queueConcurrency);
  const provider = new QueueTreeProvider(queue);
  const view = vscode.window.createTreeView(QUEUE_VIEW, { treeDataProvider: provider });
  const updateView = () => {
    provider.refresh();
    const waiting = queue.list().length;
    view.badge = waiting ? { value: waiting, tooltip: vscode.l10n.t('{0} runs in the queue', waiting) } : undefined;
  };
  const subscription = queue.onDidChange(updateView);
  // A higher concurrency applies at once: the queue looks for a free slot again.
  const concurrencyChanged = vscode.workspace.onDidChangeConfiguration(e => {
    if (e.affectsConfiguration('seq2seqLab.queue.concurrency')) queue.wake();
  });
  const act = (fn: (id: string) => Promise<unknown>) => (arg: unknown) => {
    const id = idOf(arg);
    return id ? fn(id) : undefined;
  };
  const disposables: vscode.Disposable[] = [
    // Disposed with the window, synchronously: the run's end (the engine going away) arrives after it,
    // so the running item stays saved with its run directory and the next window resumes it.
    { dispose: () => queue.dispose() },
    subscription,
    concurrencyChanged,
    provider,
    view,
    vscode.commands.registerCommand(COMMANDS.queueMoveUp, act(id => queue.move(id, -1))),
    vscode.commands.registerCommand(COMMANDS.queueMoveDown, act(id => queue.move(id, 1))),
    vscode.commands.registerCommand(COMMANDS.queueRemove, act(id => queue.remove(id))),
    vscode.commands.registerCommand(COMMANDS.queueClear, () => queue.clear()),
    vscode.commands.registerCommand(COMMANDS.queueFromRun, async (runDir: unknown) => {
      if (typeof runDir !== 'string') return;
      if (!vscode.workspace.isTrusted) return;
      try {
        await queue.add([{ request: await requestFromRun(runDir) }]);
        void vscode.window.showInformationMessage(vscode.l10n.t('Queued a run with the settings of {0}.', path.basename(runDir)));
      } catch (error) {
        void vscode.window.showErrorMessage(vscode.l10n.t('Could not queue {0}: {1}', path.basename(runDir), (error as Error).message));
      }
    }),
  ];
  // Only in a trusted workspace: the queue trains, which Restricted Mode does not allow.
  if (vscode.workspace.isTrusted) void queue.restore();
  else disposables.push(vscode.workspace.onDidGrantWorkspaceTrust(() => void queue.restore()));
  return { queue, disposables };
}
