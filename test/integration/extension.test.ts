/**
 * Runs inside a real extension host: code-server's (via the harness's runner extension) or a
 * downloaded VS Code's (npm run test:electron). Only the public vscode API is used.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';

const EXTENSION_ID = 'seq2seq-lab.seq2seq-lab';
const COMMANDS = [
  'seq2seqLab.showInfo',
  'seq2seqLab.trainModel',
  'seq2seqLab.stopTraining',
  'seq2seqLab.resumeTraining',
  'seq2seqLab.translateSelection',
  'seq2seqLab.selectModel',
  'seq2seqLab.showAttention',
];

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

  it('activates without starting the engine', async () => {
    const ext = vscode.extensions.getExtension<{ engine: { running: boolean } }>(EXTENSION_ID)!;
    const api = await ext.activate();
    assert.strictEqual(ext.isActive, true);
    assert.strictEqual(api.engine.running, false, 'the engine starts on the first command that needs it');
  });

  it('contributes the Runs view, the settings, Translate Selection in the editor menu and limited trust support', () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON;
    assert.ok(pkg.contributes.views.seq2seqLab.some((v: { id: string }) => v.id === 'seq2seqLab.runs'));
    const settings = Object.keys(pkg.contributes.configuration.properties);
    for (const key of ['seq2seqLab.engine.backend', 'seq2seqLab.runsDirectory', 'seq2seqLab.defaultPreset', 'seq2seqLab.timeLimitMinutes']) {
      assert.ok(settings.includes(key), key);
    }
    assert.strictEqual(vscode.workspace.getConfiguration('seq2seqLab').get('engine.backend'), 'auto');
    const menu = pkg.contributes.menus['editor/context'].find((m: { command: string }) => m.command === 'seq2seqLab.translateSelection');
    assert.strictEqual(menu.when, 'editorHasSelection');
    assert.strictEqual(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
    const palette = pkg.contributes.menus.commandPalette as { command: string; when: string }[];
    for (const id of ['seq2seqLab.trainModel', 'seq2seqLab.resumeTraining']) {
      assert.strictEqual(palette.find(m => m.command === id)?.when, 'isWorkspaceTrusted', id);
    }
  });

  it('registers its commands', async () => {
    const all = await vscode.commands.getCommands(true);
    for (const id of COMMANDS) assert.ok(all.includes(id), `${id} is not registered`);
  });

  it('Show Engine Info asks the engine process and shows its backend and versions', async () => {
    const api = await vscode.extensions.getExtension<{ engine: { running: boolean; restart(): Promise<void> } }>(EXTENSION_ID)!.activate();
    const message = await vscode.commands.executeCommand<string>('seq2seqLab.showInfo');
    assert.match(String(message), /^Seq2Seq Lab \d+\.\d+\.\d+: engine \d+\.\d+.* TensorFlow\.js \d+\.\d+\.\d+ on the (tensorflow|wasm|cpu) backend/);
    assert.equal(api.engine.running, true, 'the info comes from the engine process');
    // Later files check that some commands never start the engine: leave none running.
    await api.engine.restart();
    assert.equal(api.engine.running, false);
  });

  it('is trusted and has the test workspace open', () => {
    assert.strictEqual(vscode.workspace.isTrusted, true);
    assert.ok(vscode.workspace.workspaceFolders?.length, 'no workspace folder');
  });
});
