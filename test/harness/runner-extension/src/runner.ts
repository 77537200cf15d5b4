/**
 * Test-only extension. Activated on startup in the same extension host as Seq2Seq Lab; when the
 * harness set SEQ2SEQ_HARNESS_RESULTS it runs the bundled integration tests (dist/tests) with
 * mocha and writes the results there as JSON (first to a temp name, then renamed, so the harness
 * never reads a partial file). Without the variable it stays inert.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { runMocha, RunResults } from './mochaRunner';

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const resultsPath = process.env.SEQ2SEQ_HARNESS_RESULTS;
  if (!resultsPath) return;
  const write = (results: RunResults) => {
    fs.writeFileSync(resultsPath + '.tmp', JSON.stringify(results, null, 2));
    fs.renameSync(resultsPath + '.tmp', resultsPath);
  };
  fs.writeFileSync(resultsPath + '.started', new Date().toISOString());
  // Let activation return first: tests may activate other extensions and open editors.
  setTimeout(async () => {
    let results: RunResults;
    try {
      results = await runMocha(path.join(context.extensionPath, 'dist', 'tests'), {
        grep: process.env.SEQ2SEQ_HARNESS_GREP || undefined,
      });
    } catch (e) {
      results = { passes: 0, failures: 1, pending: 0, durationMs: 0, tests: [], error: String((e as Error)?.stack ?? e) };
    }
    results.host = {
      vscode: vscode.version,
      appName: vscode.env.appName,
      appHost: vscode.env.appHost,
      remoteName: String(vscode.env.remoteName),
      uiKind: vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop',
      node: process.versions.node,
    };
    write(results);
  }, 0);
}

export function deactivate(): void {}
