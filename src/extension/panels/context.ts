/**
 * What the panels get from the rest of the extension, built once on activation
 * (registerPanels in index.ts) and passed to every `createOrShow` and restorer. Narrow views of
 * the services, so a test can hand in small fakes; no panel reaches for a global.
 */
import type * as vscode from 'vscode';
import type { EngineClient } from '../engineClient/engineClient';
import type { RunQueue } from '../queue/runQueue';
import type { RunStore } from '../runs/runStore';
import type { TrainingController } from '../training/trainingController';
import type { AttentionStore } from './attention/store';

/** The engine calls panels make. */
export type PanelEngine = Pick<EngineClient, 'translate' | 'predict' | 'onPredictProgress'>;

/** The training controller as panels see it: its events, the run being trained, run histories. */
export type PanelTraining = Pick<TrainingController, 'onDidStart' | 'onDidProgress' | 'onDidEnd' | 'activeRunDir' | 'history'>;

/** The runs directory as panels read it (the experiments table, the sweep page). */
export type PanelRuns = Pick<RunStore, 'list' | 'onDidChange' | 'directory'>;

/** The queue as panels read it (a sweep's trials not started yet). */
export type PanelQueue = Pick<RunQueue, 'list' | 'onDidChange' | 'isRunning'>;

export interface PanelContext {
  readonly extensionUri: vscode.Uri;
  readonly engine: PanelEngine;
  readonly training: PanelTraining;
  /** The model "Translate Selection" uses. */
  readonly models: { current(): Promise<{ dir: string; name: string } | undefined> };
  readonly runs: PanelRuns;
  readonly queue: PanelQueue;
  /** The attention view's items and followed run; outlives the panel (close and reopen shows them). */
  readonly attention: AttentionStore;
}
