/**
 * Restores the prediction diffs and run comparison panels after a window reload (package.json
 * has `onWebviewPanel:seq2seqLab.diffs` and `onWebviewPanel:seq2seqLab.compareRuns`). A diffs
 * panel predicts its saved request again; a comparison re-reads its runs.
 */
import * as vscode from 'vscode';
import { COMPARE_VIEW_TYPE, DIFFS_VIEW_TYPE, parseCompareState, parseDiffsState } from '../../shared/diffsProtocol';
import type { EngineClient } from '../engineClient/engineClient';
import { ComparePanel } from './comparePanel';
import { DiffsPanel } from './diffsPanel';
import { panelLog } from './log';

export function registerComparisonSerializers(context: vscode.ExtensionContext, engine: EngineClient): void {
  const extensionUri = context.extensionUri;
  context.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer(DIFFS_VIEW_TYPE, {
      async deserializeWebviewPanel(panel, state: unknown) {
        const parsed = parseDiffsState(state);
        if (!parsed.ok) {
          panelLog().warn(`diffs: not restored (${parsed.error})`);
          panel.dispose();
          return;
        }
        DiffsPanel.revive(panel, { engine, extensionUri }, parsed.value.request);
      },
    }),
    vscode.window.registerWebviewPanelSerializer(COMPARE_VIEW_TYPE, {
      async deserializeWebviewPanel(panel, state: unknown) {
        const parsed = parseCompareState(state);
        if (!parsed.ok) {
          panelLog().warn(`compare: not restored (${parsed.error})`);
          panel.dispose();
          return;
        }
        ComparePanel.revive(panel, extensionUri, parsed.value.runDirs);
      },
    }),
  );
}
