/**
 * What the attention view shows, kept apart from its panel so closing and reopening the view
 * (or a window reload) shows it again: the recent translations (newest first, at most
 * MAX_ITEMS, each with the model and editor selection it came from) and the followed run with
 * its evaluations. It follows the training controller's events itself — a run that starts
 * becomes the followed one, each evaluation adds its validation sample, a run that ends stays
 * with its evaluations, no longer live — and tells an open panel what changed (onDidChange).
 */
import * as path from 'path';
import * as vscode from 'vscode';
import type { ProgressEvent, Translation } from '../../../shared/protocol';
import type { AttentionEvaluation, AttentionItem, AttentionOrigin, HostToAttentionMessage, LiveRun } from '../../../shared/attentionProtocol';
import type { TrainingEvents } from '../../training/trainingController';

/** Where a translation came from, kept by the host only. */
export interface TranslationOrigin {
  origin?: AttentionOrigin;
  model?: { dir: string; name: string };
  /** The editor selection the source was taken from. */
  selection?: { uri: vscode.Uri; range: vscode.Range };
}

/** A recent translation with what only the host knows about it. */
export interface HostItem {
  item: AttentionItem;
  modelDir?: string;
  selection?: { uri: vscode.Uri; range: vscode.Range };
}

/** What the store tells an open panel: the followed run changed, or got an evaluation. */
export type LiveChange = Extract<HostToAttentionMessage, { type: 'live' } | { type: 'evaluation' }>;

export const MAX_ITEMS = 12;

export function evaluationOf(event: Extract<ProgressEvent, { kind: 'eval' }>): AttentionEvaluation {
  return { step: event.step, epoch: event.epoch, sample: event.sample };
}

export class AttentionStore implements vscode.Disposable {
  private nextId = 1;
  /** Newest first. */
  private recent: HostItem[] = [];
  private followed: LiveRun | undefined;
  private readonly changes = new vscode.EventEmitter<LiveChange>();
  readonly onDidChange = this.changes.event;

  get items(): AttentionItem[] {
    return this.recent.map(r => r.item);
  }

  get newestId(): string | undefined {
    return this.recent[0]?.item.id;
  }

  get live(): LiveRun | undefined {
    return this.followed;
  }

  find(id: string): HostItem | undefined {
    return this.recent.find(r => r.item.id === id);
  }

  /** Adds a translation (newest first); returns its id. */
  remember(translation: Translation, origin: TranslationOrigin, extra: Partial<AttentionItem> = {}): string {
    const id = `t${this.nextId++}`;
    const item: AttentionItem = {
      id,
      label: translation.source.length > 60 ? `${translation.source.slice(0, 59)}…` : translation.source,
      origin: origin.origin ?? (origin.selection ? 'selection' : 'command'),
      translation,
      ...(origin.model ? { model: origin.model.name } : {}),
      ...extra,
    };
    this.recent = [{ item, modelDir: origin.model?.dir, selection: origin.selection }, ...this.recent].slice(0, MAX_ITEMS);
    return id;
  }

  /** Items a webview saved in an earlier session: shown again (without their model or selection). */
  restore(items: readonly AttentionItem[]): void {
    for (const item of [...items].reverse()) {
      if (!this.recent.some(r => r.item.id === item.id)) this.recent.unshift({ item: { ...item, id: `r${this.nextId++}` } });
    }
    this.recent = this.recent.slice(0, MAX_ITEMS);
  }

  /** Follows `runDir` with `evaluations` (a run from disk, or the selected model's). */
  follow(runDir: string, training: boolean, evaluations: AttentionEvaluation[]): LiveRun {
    this.followed = { runDir, name: path.basename(runDir), training, evaluations };
    return this.followed;
  }

  /** Subscribes to the controller's events; disposed with the extension. */
  followTraining(training: Pick<TrainingEvents, 'onDidProgress' | 'onDidEnd'>): vscode.Disposable {
    const subscriptions = [
      training.onDidProgress(({ runDir, event }) => this.progress(runDir, event)),
      training.onDidEnd(({ runDir }) => this.ended(runDir)),
    ];
    return { dispose: () => subscriptions.forEach(s => s.dispose()) };
  }

  /** A run that starts becomes the followed one; each evaluation adds its validation sample. */
  progress(runDir: string, event: ProgressEvent): void {
    const dir = path.resolve(runDir);
    if (event.kind === 'start') {
      const evaluations = this.followed?.runDir === dir ? this.followed.evaluations : [];
      this.changes.fire({ type: 'live', live: this.follow(dir, true, evaluations) });
    } else if (event.kind === 'eval') {
      let live = this.followed;
      if (live?.runDir !== dir) {
        live = this.follow(dir, true, []);
        this.changes.fire({ type: 'live', live });
      }
      const evaluation = evaluationOf(event);
      live.evaluations = [...live.evaluations.filter(e => e.step !== evaluation.step), evaluation];
      this.changes.fire({ type: 'evaluation', runDir: dir, evaluation });
    }
  }

  /** The run ended (completed, stopped or crashed): its evaluations stay, no longer live. */
  ended(runDir: string): void {
    if (this.followed?.runDir !== path.resolve(runDir)) return;
    this.followed.training = false;
    this.changes.fire({ type: 'live', live: this.followed });
  }

  dispose(): void {
    this.changes.dispose();
  }
}
