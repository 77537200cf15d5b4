/**
 * The extension's own training path (TrainingController, RunStore, commands) in the real
 * extension host, through the API activate() returns: a run to the end, a killed engine marks
 * the run interrupted, resume continues it, Stop Training cancels, Translate Selection.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { Seq2SeqLabApi } from '../../src/extension/extension';
import type { ProgressEvent, Translation } from '../../src/shared/protocol';
import { api, LONG, nextEvent, readManifest, TINY, until } from './helpers';

describe('Training through the extension', function () {
  this.timeout(180_000);
  let lab: Seq2SeqLabApi;
  let completed: string;
  let interrupted: string;

  before(async () => {
    lab = await api();
  });

  after(async () => {
    lab.training.stop();
    await lab.training.whenIdle;
  });

  it('Translate Selection without a trained model offers training instead of calling the engine', async () => {
    assert.equal((await lab.models.current()), undefined, 'no completed run yet');
    const doc = await vscode.workspace.openTextDocument({ content: 'march 3 2021' });
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(0, 0, 0, 12);
    assert.equal(await vscode.commands.executeCommand('seq2seqLab.translateSelection'), undefined);
    assert.equal(lab.engine.running, false, 'the engine was not started for nothing');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('trains a run to the end; the Runs store lists it completed and it becomes the model', async () => {
    const outcome = await lab.training.start({ task: 'dates', config: TINY });
    completed = outcome.runDir;
    assert.equal(outcome.error, undefined, String(outcome.error));
    assert.equal(outcome.result?.state, 'completed');
    assert.ok(completed.startsWith(lab.runs.directory + path.sep), `${completed} is inside ${lab.runs.directory}`);
    const history = await lab.training.history(completed);
    assert.ok(history.some(e => e.kind === 'step') && history.some(e => e.kind === 'eval'), 'step and eval events kept');
    const runs = await lab.runs.list();
    assert.equal(runs.find(r => r.dir === completed)?.state, 'completed');
    assert.equal((await lab.models.current())?.dir, completed);
    assert.equal(lab.training.activeRunDir, undefined);
  });

  it('refuses a second run while one trains', async () => {
    const step = nextEvent(lab.engine.onProgress, 'step');
    const running = lab.training.start({ task: 'dates', config: LONG });
    await step;
    assert.throws(() => lab.training.start({ task: 'dates', config: TINY }), /already training/);
    lab.training.stop();
    assert.equal((await running).result?.state, 'cancelled');
  });

  it('killing the engine mid-run marks the run interrupted; the next request works', async () => {
    // After the first checkpoint, so that resume has something to continue from.
    const checkpoint = nextEvent(lab.engine.onProgress, 'checkpoint');
    const running = lab.training.start({ task: 'dates', config: LONG });
    await checkpoint;
    const pid = lab.engine.pid!;
    process.kill(pid, 'SIGKILL');
    const outcome = await running;
    interrupted = outcome.runDir;
    assert.equal((outcome.error as { kind?: string })?.kind, 'engineCrashed');
    const manifest = readManifest(interrupted);
    assert.equal(manifest.state, 'interrupted');
    assert.equal(manifest.pid, undefined);
    assert.match(manifest.error ?? '', /SIGKILL/);
    assert.equal((await lab.runs.get(interrupted))?.state, 'interrupted');
    assert.ok(!fs.readdirSync(interrupted).some(f => f.endsWith('.tmp')), 'no temporary file left by the atomic write');
    const hello = await lab.engine.hello();
    assert.ok(hello.tasks.length > 0);
    assert.notEqual(lab.engine.pid, pid);
  });

  it('Resume Training continues the interrupted run from its checkpoint', async () => {
    const before = readManifest(interrupted).step;
    const start = nextEvent(lab.engine.onProgress, 'start');
    const step = nextEvent(lab.engine.onProgress, 'step');
    const resumed = vscode.commands.executeCommand('seq2seqLab.resumeTraining', interrupted);
    try {
      const started = (await start).event as Extract<ProgressEvent, { kind: 'start' }>;
      assert.equal(started.runDir, interrupted);
      assert.ok(started.startStep > 0 && started.startStep <= before, `resumes at ${started.startStep} (manifest said ${before})`);
      const next = (await step).event as Extract<ProgressEvent, { kind: 'step' }>;
      assert.ok(next.step > started.startStep, 'steps continue after the checkpoint');
      // Stop Training (the command) ends it as cancelled, with a checkpoint.
      assert.equal(await vscode.commands.executeCommand('seq2seqLab.stopTraining'), true);
    } finally {
      lab.training.stop();
      await resumed;
    }
    assert.equal(readManifest(interrupted).state, 'cancelled');
    const history = await lab.training.history(interrupted);
    assert.ok(history.filter(e => e.kind === 'start').length >= 2, 'history holds both sessions');
  });

  it('Select Model picks which completed run translates', async () => {
    const second = await lab.training.start({ task: 'dates', config: { ...TINY, seed: 2 } });
    assert.equal(second.result?.state, 'completed');
    assert.equal((await lab.models.current())?.dir, second.runDir, 'a newly completed run becomes the model');
    assert.equal(await vscode.commands.executeCommand('seq2seqLab.selectModel', completed), completed);
    assert.equal((await lab.models.current())?.dir, completed);
    assert.deepEqual((await lab.models.models()).map(m => m.state), ['completed', 'completed'], 'only completed runs are models');
  });

  it('shows a stale "running" manifest whose pid is gone as interrupted', async () => {
    const fake = path.join(lab.runs.directory, 'stale-run');
    fs.mkdirSync(fake, { recursive: true });
    const now = new Date().toISOString();
    fs.writeFileSync(path.join(fake, 'manifest.json'), JSON.stringify({ format: 1, state: 'running', createdAt: now, updatedAt: now, backend: 'wasm', step: 3, epoch: 0, best: null, pid: 2 ** 22 + 17 }));
    assert.equal((await lab.runs.get(fake))?.state, 'interrupted');
    await assert.rejects(lab.runs.delete(path.dirname(lab.runs.directory)), /not a run/);
    await lab.runs.delete(fake);
    assert.equal(fs.existsSync(fake), false);
  });

  it('Translate Selection translates each selected line and opens the attention data', async () => {
    const doc = await vscode.workspace.openTextDocument({ content: 'march 3 2021\njanuary 15 1999\n' });
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(0, 0, 1, 15);
    const translations = await vscode.commands.executeCommand<Translation[]>('seq2seqLab.translateSelection');
    assert.equal(translations?.length, 2);
    for (const t of translations!) {
      assert.equal(t.attention.length, t.tokens.length);
      assert.ok(t.attention.every(row => row.length === t.sourceTokens.length));
    }
    assert.deepEqual(lab.lastTranslation, translations![0]);
    await until('the attention tab', () =>
      vscode.window.tabGroups.all.flatMap(g => g.tabs).some(t => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('seq2seqLab.attention')),
    );
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    // Not closeAllEditors: the dirty untitled document would wait on a "Save?" dialog.
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
