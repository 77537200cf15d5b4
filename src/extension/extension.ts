/**
 * Seq2Seq Lab extension entry point. Activation stays cheap: it registers commands, the Runs
 * view and the panel serializers. The engine (TensorFlow.js) starts lazily in a child process
 * on the first command that needs it, never here.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { COMMANDS } from './commandIds';
import { registerCompareCommands } from './commands/compare';
import { registerEngineInfoCommand } from './commands/engineInfo';
import { registerExperimentsCommands } from './commands/experiments';
import { registerModelCommands } from './commands/models';
import { registerRunsView } from './commands/runs';
import { registerTrainCommands, trainModel } from './commands/train';
import { registerTranslateCommands } from './commands/translate';
import { EngineClient } from './engineClient/engineClient';
import { ModelSelection } from './models/modelSelection';
import { createQueue } from './queue/queueHost';
import { registerExperimentLog } from './notebook/register';
import { createTrainingLog, registerTrainingLog } from './notebook/trainingLog';
import { registerPanels, setPanelLog } from './panels';
import { RunStore } from './runs/runStore';
import type { Services } from './services';
import { engineBackend, initialConfig, runsDirectory } from './settings';
import { TrainingStatusBar } from './training/statusBar';
import { observeTraining, TrainingController } from './training/trainingController';

/** What activate() returns: the services, for the integration tests (not a public API). */
export type Seq2SeqLabApi = Services;

export function activate(context: vscode.ExtensionContext): Seq2SeqLabApi {
  const log = vscode.window.createOutputChannel('Seq2Seq Lab', { log: true });
  setPanelLog(log);
  const engineOptions = { enginePath: path.join(context.extensionPath, 'dist', 'engine.js'), log, backend: engineBackend };
  const engine = new EngineClient(engineOptions);
  const runs = new RunStore(() => runsDirectory(context), () => engine.pid);
  const models = new ModelSelection(context.workspaceState, runs);
  const statusBar = new TrainingStatusBar();
  // "Re-run with these settings" in the experiment log opens the form prefilled.
  const experimentLog = registerExperimentLog(context, { openTrainForm: (config, data) => void trainModel(services, { config, data }) });
  const training = new TrainingController({
    engine,
    runs,
    statusBar,
    log,
    spawnEngine: () => new EngineClient(engineOptions),
    defaults: () => {
      const { maxMinutes } = initialConfig();
      return maxMinutes ? { maxMinutes } : {};
    },
    onCompleted: runDir => void models.set(runDir),
  });
  const queue = createQueue(runs, training, log);
  const panels = registerPanels(context.subscriptions, { extensionUri: context.extensionUri, engine, training, models, runs, queue: queue.queue });
  const services: Services = { context, log, engine, runs, training, models, queue: queue.queue, panels, lastTranslation: undefined };

  context.subscriptions.push(
    log,
    engine,
    runs,
    statusBar,
    training,
    ...queue.disposables,
    observeTraining(training, createTrainingLog(experimentLog, log)),
    ...registerTrainCommands(services),
    ...registerTranslateCommands(services),
    ...registerModelCommands(services),
    ...registerRunsView(services),
    ...registerCompareCommands(services),
    ...registerExperimentsCommands(services),
    ...registerEngineInfoCommand(services),
    ...registerTrainingLog(experimentLog, runs, () => training.activeRunDirs, log),
    vscode.commands.registerCommand(COMMANDS.showLog, () => log.show()),
    vscode.workspace.onDidChangeConfiguration(e => {
      if (e.affectsConfiguration('seq2seqLab.runsDirectory')) runs.refresh();
    }),
  );
  return services;
}

export function deactivate(): void {
  // The engine is disposed with context.subscriptions (the child is killed there).
}
