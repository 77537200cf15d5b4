/**
 * Show Engine Info: asks the engine process what it runs on (backend, TensorFlow.js and Node
 * versions, threads) and shows it in a notification and in the Seq2Seq Lab log. It starts the
 * engine if none runs: the answer is about that process, not a guess made in the host.
 */
import * as vscode from 'vscode';
import type { EngineInfoRequest } from '../../shared/protocol';
import { COMMANDS } from '../commandIds';
import type { Services } from '../services';

export function registerEngineInfoCommand(s: Services): vscode.Disposable[] {
  return [vscode.commands.registerCommand(COMMANDS.showInfo, () => showEngineInfo(s))];
}

/** The one-line summary the notification shows. */
export function engineInfoMessage(extensionVersion: string, info: EngineInfoRequest.Result): string {
  return vscode.l10n.t(
    'Seq2Seq Lab {0}: engine {1} in a child process, TensorFlow.js {2} on the {3} backend ({4} threads per kernel, matrix products by {9}, {5} training threads by default, {6} CPU cores), Node {7} on {8}.',
    extensionVersion, info.engineVersion, info.tfjsVersion, info.backend, info.kernelThreads, info.autoWorkers, info.cpuCores, info.nodeVersion, info.platform,
    info.nativeMatMulProblem ? `${info.matMulKernel}; native kernel ${info.nativeMatMulProblem}` : info.matMulKernel,
  );
}

/** Shows the engine's info; returns the message shown (for tests), or undefined if the engine failed. */
export async function showEngineInfo(s: Services): Promise<string | undefined> {
  const version = (s.context.extension.packageJSON as { version?: string }).version ?? '?';
  let info: EngineInfoRequest.Result;
  try {
    info = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Starting the engine…') },
      () => s.engine.info(),
    );
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    s.log.error(`engine info: ${reason}`);
    void vscode.window.showErrorMessage(vscode.l10n.t('The engine did not answer: {0}', reason));
    return undefined;
  }
  const message = engineInfoMessage(version, info);
  s.log.info(`engine info: ${JSON.stringify(info)}`);
  // Not awaited: the promise resolves only when the notification is dismissed.
  void vscode.window.showInformationMessage(message);
  return message;
}
