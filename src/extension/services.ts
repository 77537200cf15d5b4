/** What the commands and views share; built once in activate(). */
import type * as vscode from 'vscode';
import type { Translation } from '../shared/protocol';
import type { EngineClient } from './engineClient/engineClient';
import type { ModelSelection } from './models/modelSelection';
import type { RunQueue } from './queue/runQueue';
import type { PanelContext } from './panels/context';
import type { RunStore } from './runs/runStore';
import type { TrainingController } from './training/trainingController';

export interface Services {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  engine: EngineClient;
  runs: RunStore;
  training: TrainingController;
  models: ModelSelection;
  /** Runs waiting to train (the form's Queue and Sweep, the Queue view). */
  queue: RunQueue;
  /** What the panels are opened with. */
  panels: PanelContext;
  /** The last translation, for "Show Attention". */
  lastTranslation: Translation | undefined;
}
