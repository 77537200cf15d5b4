/**
 * Seq2Seq Lab extension entry point. Activation stays cheap: it only registers commands.
 * The engine (TensorFlow.js) is started lazily in a child process by the commands that need it.
 */
import * as vscode from 'vscode';
import { registerHelloCommands } from './commands/hello';

export function activate(context: vscode.ExtensionContext): void {
  registerHelloCommands(context);
}

export function deactivate(): void {
  // Nothing to stop yet: no engine process is started on activation.
}
