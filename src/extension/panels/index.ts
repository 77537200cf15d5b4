/**
 * The extension's webview panels (every one a PanelHost, panelHost.ts). On activation
 * registerPanels builds the PanelContext the panels are opened with, registers the one
 * serializer registry (serializers.ts: the panels that come back after a window reload) and
 * subscribes the panels to the training controller: a run that starts or resumes opens its
 * dashboard, and the attention view's store follows its evaluations.
 */
import type * as vscode from 'vscode';
import { AttentionStore } from './attention/store';
import type { PanelContext } from './context';
import { DashboardPanel } from './dashboardPanel';
import { registerPanelSerializers } from './serializers';

export { TrainFormPanel } from './trainFormPanel';
export type { TrainFormOptions } from './trainFormPanel';
export { DashboardPanel } from './dashboardPanel';
export { AttentionPanel } from './attention/attentionPanel';
export { AttentionStore } from './attention/store';
export type { TranslationOrigin } from './attention/store';
export { DiffsPanel } from './diffsPanel';
export { ComparePanel } from './comparePanel';
export { ExperimentsPanel } from './experimentsPanel';
export { SweepPanel } from './sweepPanel';
export { PanelHost, PanelRegistry, SINGLE_PANEL } from './panelHost';
export { registerPanelSerializers } from './serializers';
export { setPanelLog } from './log';
export type { PanelLog } from './log';
export type { PanelContext, PanelEngine, PanelQueue, PanelRuns, PanelTraining } from './context';
export { ATTENTION_VIEW_TYPE, DASHBOARD_VIEW_TYPE, TRAIN_FORM_VIEW_TYPE } from '../../shared/webviewProtocol';

/** Builds the panels' context, registers their serializers and subscribes them to training. */
export function registerPanels(subscriptions: vscode.Disposable[], services: Omit<PanelContext, 'attention'>): PanelContext {
  const attention = new AttentionStore();
  const context: PanelContext = { ...services, attention };
  subscriptions.push(
    attention,
    attention.followTraining(services.training),
    services.training.onDidStart(({ runDir, history }) => void DashboardPanel.createOrShow(context, runDir, history)),
    ...registerPanelSerializers(context),
  );
  return context;
}
