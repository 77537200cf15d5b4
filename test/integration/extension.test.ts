/**
 * Runs inside a real extension host: code-server's (via the harness's runner extension) or a
 * downloaded VS Code's (npm run test:electron). Only the public vscode API is used.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';

const EXTENSION_ID = 'seq2seq-lab.seq2seq-lab';
const COMMANDS = ['seq2seqLab.showInfo', 'seq2seqLab.openWelcome'];

/** Polls `fn` until it returns a value or `timeoutMs` passes (then returns undefined). */
async function poll<T>(fn: () => T | undefined, timeoutMs: number): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v !== undefined || Date.now() > deadline) return v;
    await new Promise(r => setTimeout(r, 50));
  }
}

describe('Seq2Seq Lab extension', () => {
  it('is installed', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} not found; installed: ${vscode.extensions.all.map(e => e.id).join(', ')}`);
    assert.strictEqual(ext.packageJSON.main, './dist/extension.js');
  });

  it('contributes its commands in the Seq2Seq category', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const contributed = (ext.packageJSON.contributes?.commands ?? []) as { command: string; category?: string }[];
    for (const id of COMMANDS) {
      const c = contributed.find(x => x.command === id);
      assert.ok(c, `${id} not contributed`);
      assert.strictEqual(c.category, 'Seq2Seq');
    }
  });

  it('activates', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    await ext.activate();
    assert.strictEqual(ext.isActive, true);
  });

  it('registers its commands', async () => {
    const all = await vscode.commands.getCommands(true);
    for (const id of COMMANDS) assert.ok(all.includes(id), `${id} is not registered`);
  });

  it('Show Engine Info returns the message it shows', async () => {
    const message = await vscode.commands.executeCommand<string>('seq2seqLab.showInfo');
    assert.match(String(message), /^Seq2Seq Lab \d+\.\d+\.\d+/);
  });

  it('Open Welcome opens a webview tab titled "Seq2Seq Lab"', async () => {
    await vscode.commands.executeCommand('seq2seqLab.openWelcome');
    // The tab model reaches the extension host asynchronously, after the panel is created.
    const find = () =>
      vscode.window.tabGroups.all
        .flatMap(g => g.tabs)
        .find(t => t.input instanceof vscode.TabInputWebview && t.label === 'Seq2Seq Lab');
    const tab = await poll(find, 10_000);
    const labels = vscode.window.tabGroups.all.flatMap(g => g.tabs).map(t => t.label);
    assert.ok(tab, `no welcome tab; tabs: ${labels.join(', ')}`);
    assert.ok((tab.input as vscode.TabInputWebview).viewType.endsWith('seq2seqLab.welcome'));
    await vscode.window.tabGroups.close(tab);
  });

  it('is trusted and has the test workspace open', () => {
    assert.strictEqual(vscode.workspace.isTrusted, true);
    assert.ok(vscode.workspace.workspaceFolders?.length, 'no workspace folder');
  });
});
