/**
 * The experiment log in the real extension host: runs trained through the extension are appended
 * to the log the `seq2seqLab.experimentLog` setting names, with their settings, curves and
 * result; a note the user adds between runs survives the next run byte for byte; saving an
 * unchanged log through VS Code's notebook pipeline gives back the same bytes; a log edited into
 * invalid JSON opens with an error cell (no crash) and its bytes are kept; running a run cell
 * opens the Train Model form.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { Seq2SeqLabApi } from '../../src/extension/extension';
import { emptyLog } from '../../src/shared/experimentLog/types';
import { writeLog } from '../../src/shared/experimentLog/write';
import { appendRun } from '../../src/extension/notebook/runUpdates';
import { api, tempDir, TINY, until } from './helpers';

const NOTEBOOK_TYPE = 'seq2seq-lab.log';
/** A note as a user might write it: trailing spaces, a tab, emoji, a non-ASCII name. */
const NOTE = '## After run 1\n\nLoss still falling  \n\t- try a **wider** hidden layer 🚀 (Zoë)\n';

interface LoggedRun { kind: 'run'; runDir: string; state: string; config: Record<string, unknown>; result: { metrics: Record<string, number | null> } | null; metricsHistory: Array<{ step: number; valid?: unknown }> }
interface LoggedCell { kind: string; source?: string }

function readLog(file: string): { cells: Array<LoggedRun | LoggedCell> } | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined; // not written yet
  }
}

/** Makes the notebook dirty and clean again with the same content, then saves it through the serializer. */
async function touchAndSave(notebook: vscode.NotebookDocument): Promise<void> {
  const insert = new vscode.WorkspaceEdit();
  insert.set(notebook.uri, [vscode.NotebookEdit.insertCells(notebook.cellCount, [new vscode.NotebookCellData(vscode.NotebookCellKind.Markup, 'scratch', 'markdown')])]);
  assert.ok(await vscode.workspace.applyEdit(insert));
  const remove = new vscode.WorkspaceEdit();
  remove.set(notebook.uri, [vscode.NotebookEdit.deleteCells(new vscode.NotebookRange(notebook.cellCount - 1, notebook.cellCount))]);
  assert.ok(await vscode.workspace.applyEdit(remove));
  assert.ok(notebook.isDirty, 'the edits made the notebook dirty');
  assert.ok(await notebook.save(), 'saved');
}

describe('Experiment log', function () {
  this.timeout(240_000);
  let lab: Seq2SeqLabApi;
  let dir: string;
  let logFile: string;
  const settings = () => vscode.workspace.getConfiguration('seq2seqLab');

  before(async () => {
    lab = await api();
    dir = tempDir('log');
    logFile = path.join(dir, 'lab.s2slog');
    await settings().update('experimentLog', logFile, vscode.ConfigurationTarget.Global);
    // Its own runs directory: the other files' tests count the runs of the shared one.
    await settings().update('runsDirectory', path.join(dir, 'runs'), vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await settings().update('experimentLog', undefined, vscode.ConfigurationTarget.Global);
    await settings().update('runsDirectory', undefined, vscode.ConfigurationTarget.Global);
  });

  it('appends each run with its settings and result; a note between runs is kept byte for byte; save round-trips exactly', async () => {
    assert.equal(fs.existsSync(logFile), false);
    const first = await lab.training.start({ task: 'dates', config: TINY });
    assert.equal(first.result?.state, 'completed', String(first.error));
    await until('run 1 completed in the log', () => (readLog(logFile)?.cells[0] as LoggedRun | undefined)?.state === 'completed', 30_000);

    // The user's note, added in the notebook and saved.
    const notebook = await vscode.workspace.openNotebookDocument(vscode.Uri.file(logFile));
    assert.equal(notebook.notebookType, NOTEBOOK_TYPE);
    const edit = new vscode.WorkspaceEdit();
    edit.set(notebook.uri, [vscode.NotebookEdit.insertCells(notebook.cellCount, [new vscode.NotebookCellData(vscode.NotebookCellKind.Markup, NOTE, 'markdown')])]);
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await notebook.save());

    const second = await lab.training.start({ task: 'dates', config: { ...TINY, hiddenSize: 24 } });
    assert.equal(second.result?.state, 'completed', String(second.error));
    await until('run 2 completed in the log', () => (readLog(logFile)?.cells[2] as LoggedRun | undefined)?.state === 'completed', 30_000);

    const log = readLog(logFile)!;
    assert.deepEqual(log.cells.map(c => c.kind), ['run', 'markdown', 'run']);
    const [run1, note, run2] = log.cells as [LoggedRun, LoggedCell, LoggedRun];
    assert.equal(note.source, NOTE, 'the note is kept exactly');
    assert.equal(run1.runDir, first.runDir);
    assert.equal(run2.runDir, second.runDir);
    assert.equal(run1.config.hiddenSize, 16);
    assert.equal(run2.config.hiddenSize, 24);
    for (const run of [run1, run2]) {
      assert.equal(typeof run.result?.metrics.exactMatch, 'number', 'final metrics recorded');
      assert.ok(run.metricsHistory.length >= 2, 'curve points recorded');
    }

    // Save through VS Code (serializer → file) with nothing changed: the same bytes.
    const bytes = fs.readFileSync(logFile);
    await touchAndSave(notebook);
    assert.deepEqual(fs.readFileSync(logFile), bytes, 'an unchanged log saves byte for byte');
  });

  it('a log edited into invalid JSON opens with an error cell, and saving keeps its original bytes', async () => {
    const broken = path.join(dir, 'broken.s2slog');
    const original = Buffer.from('{\n  "format": "seq2seq-lab.log",\n  "version": 1,\n  "cells": [\n    { "kind": "markdown", "source": "half a no');
    fs.writeFileSync(broken, original);
    const notebook = await vscode.workspace.openNotebookDocument(vscode.Uri.file(broken));
    assert.equal(notebook.cellCount, 1);
    const text = notebook.cellAt(0).document.getText();
    assert.match(text, /could not be read/);
    assert.ok(text.includes('line 5'), `the error says where: ${text}`);
    await touchAndSave(notebook);
    assert.deepEqual(fs.readFileSync(broken), original, 'the original bytes are kept');
    assert.ok(lab.engine !== undefined, 'the extension is still alive');
  });

  it("a running run's cell updates live; stopped and resumed, the run goes on in the same cell from its checkpoint", async () => {
    const config = { ...TINY, epochs: 40, evalEverySteps: 4, patience: 0 };
    const running = lab.training.start({ task: 'dates', config });
    const runDir = lab.training.activeRunDir!;
    const cellOf = () => readLog(logFile)?.cells.find(c => (c as LoggedRun).runDir === runDir) as LoggedRun | undefined;
    const evaluations = () => (cellOf()?.metricsHistory ?? []).filter(p => p.valid).map(p => p.step);
    // Saved while the run trains: state running, evaluation points arriving.
    await until('the running cell to show two evaluations', () => cellOf()?.state === 'running' && evaluations().length >= 2, 60_000);
    lab.training.stop();
    assert.equal((await running).result?.state, 'cancelled');
    await until('the stopped run marked cancelled in the log', () => cellOf()?.state === 'cancelled', 30_000);
    const before = evaluations();

    const resumed = lab.training.resume(runDir);
    await until('the resumed cell to go on past the stop', () => cellOf()?.state === 'running' && Math.max(...evaluations()) > Math.max(...before), 60_000);
    lab.training.stop();
    assert.equal((await resumed).result?.state, 'cancelled');
    await until('the resumed run marked cancelled in the log', () => cellOf()?.state === 'cancelled', 30_000);
    assert.equal(readLog(logFile)!.cells.filter(c => (c as LoggedRun).runDir === runDir).length, 1, 'one cell per run, resumed or not');
    const after = evaluations();
    assert.ok(after.length > before.length, `evaluations ${before} → ${after}`);
    assert.deepEqual([...after].sort((x, y) => x - y), after, 'in step order');
    assert.equal(new Set(after).size, after.length, 'no step twice');
  });

  it('a log opened after a crash shows a run whose engine is gone as interrupted', async () => {
    // A run directory as a crashed engine leaves it: manifest `running`, pid of no live process.
    const runDir = path.join(tempDir('crashed'), 'dates-crashed');
    fs.mkdirSync(runDir, { recursive: true });
    const now = new Date().toISOString();
    fs.writeFileSync(path.join(runDir, 'manifest.json'), JSON.stringify({ format: 1, state: 'running', createdAt: now, updatedAt: now, backend: 'wasm', step: 8, epoch: 0, best: null, pid: 2 ** 22 + 17 }));
    const file = path.join(dir, 'after-crash.s2slog');
    fs.writeFileSync(file, writeLog(appendRun(emptyLog(), { runDir, data: { task: 'dates' }, config: { hiddenSize: 16 }, startedAt: now })));
    await vscode.workspace.openNotebookDocument(vscode.Uri.file(file));
    await until('the run shown interrupted', () => (readLog(file)?.cells[0] as LoggedRun | undefined)?.state === 'interrupted', 30_000);
  });

  it('running a run cell opens the Train Model form', async () => {
    const notebook = await vscode.workspace.openNotebookDocument(vscode.Uri.file(logFile));
    await vscode.window.showNotebookDocument(notebook);
    await vscode.commands.executeCommand('notebook.selectKernel', { id: 'seq2seq-lab.log.rerun', extension: 'seq2seq-lab.seq2seq-lab' });
    const runCell = notebook.getCells().findIndex(c => c.kind === vscode.NotebookCellKind.Code);
    assert.ok(runCell >= 0);
    await vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start: runCell, end: runCell + 1 }], document: notebook.uri });
    const formTab = () =>
      vscode.window.tabGroups.all.flatMap(g => g.tabs).find(t => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('seq2seqLab.trainForm'));
    await until('the Train Model form to open', () => formTab() !== undefined, 30_000);
    assert.equal(formTab()!.label, 'Train Model');
  });
});
