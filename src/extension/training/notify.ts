/** Error notifications that point at the log, where the engine's stderr is. */
import * as vscode from 'vscode';

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Shows `message` as an error with a "Show Log" button that opens the Seq2Seq Lab log. */
export async function showEngineError(message: string, log: vscode.LogOutputChannel): Promise<void> {
  const showLog = vscode.l10n.t('Show Log');
  const choice = await vscode.window.showErrorMessage(message, showLog);
  if (choice === showLog) log.show(true);
}
