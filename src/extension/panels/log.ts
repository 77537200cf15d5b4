/**
 * Where the panels report what they drop (invalid webview messages, bad saved state, errors
 * inside a webview). The host may route this into its own log channel with `setPanelLog`;
 * otherwise a "Seq2Seq Lab: Panels" log channel is created on the first report.
 */
import * as vscode from 'vscode';

export interface PanelLog {
  warn(message: string): void;
  error(message: string): void;
}

let target: PanelLog | undefined;

export function setPanelLog(log: PanelLog | undefined): void {
  target = log;
}

export function panelLog(): PanelLog {
  if (!target) target = vscode.window.createOutputChannel('Seq2Seq Lab: Panels', { log: true });
  return target;
}
