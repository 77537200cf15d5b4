/**
 * Restricted Mode: commands that read workspace files or write runs are hidden from the palette
 * (`when: isWorkspaceTrusted` in package.json). Invoked anyway (a keybinding, another
 * extension), they explain why they do nothing.
 */
import * as vscode from 'vscode';

export function requireTrust(): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window.showWarningMessage(
    vscode.l10n.t('Seq2Seq Lab cannot train, resume or delete runs in Restricted Mode: training reads workspace files and writes run directories. Trust this workspace to use it.'),
  );
  return false;
}
