/**
 * The extension's webview panels. The host opens them (commands) and registers the
 * serializers once on activation so the dashboard and attention panels come back after a
 * window reload; package.json then needs `onWebviewPanel:seq2seqLab.dashboard` and
 * `onWebviewPanel:seq2seqLab.attention` activation events.
 */
import * as vscode from 'vscode';
import type { ProgressEvent } from '../../shared/protocol';
import { parseAttentionState } from '../../shared/attentionProtocol';
import { ATTENTION_VIEW_TYPE, DASHBOARD_VIEW_TYPE, parseDashboardState } from '../../shared/webviewProtocol';
import { AttentionPanel } from './attentionPanel';
import { DashboardPanel } from './dashboardPanel';
import { panelLog } from './log';

export { TrainFormPanel } from './trainFormPanel';
export type { TrainFormOptions, TrainRequestFromForm } from './trainFormPanel';
export { DashboardPanel } from './dashboardPanel';
export { AttentionPanel } from './attentionPanel';
export { setPanelLog } from './log';
export { DiffsPanel } from './diffsPanel';
export { ComparePanel } from './comparePanel';
export { registerComparisonSerializers } from './comparisonSerializers';
export type { PanelLog } from './log';
export { ATTENTION_VIEW_TYPE, DASHBOARD_VIEW_TYPE, TRAIN_FORM_VIEW_TYPE } from '../../shared/webviewProtocol';

/** Restores the dashboard and attention panels after a window reload. */
export function registerPanelSerializers(
  context: vscode.ExtensionContext,
  deps: { loadHistory: (runDir: string) => Promise<ProgressEvent[]> },
): void {
  const extensionUri = context.extensionUri;
  context.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer(DASHBOARD_VIEW_TYPE, {
      async deserializeWebviewPanel(panel, state: unknown) {
        const parsed = parseDashboardState(state);
        if (!parsed.ok) {
          panelLog().warn(`dashboard: not restored (${parsed.error})`);
          panel.dispose();
          return;
        }
        let history: ProgressEvent[] = [];
        try {
          history = await deps.loadHistory(parsed.value.runDir);
        } catch (e) {
          panelLog().warn(`dashboard: history of ${parsed.value.runDir} not loaded: ${String(e)}`);
        }
        DashboardPanel.revive(panel, extensionUri, parsed.value.runDir, history);
      },
    }),
    vscode.window.registerWebviewPanelSerializer(ATTENTION_VIEW_TYPE, {
      async deserializeWebviewPanel(panel, state: unknown) {
        const parsed = parseAttentionState(state);
        if (!parsed.ok) {
          panelLog().warn(`attention: not restored (${parsed.error})`);
          panel.dispose();
          return;
        }
        AttentionPanel.revive(panel, extensionUri, parsed.value);
      },
    }),
  );
}
