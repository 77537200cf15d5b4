/**
 * The experiment log in the real VS Code (code-server) and a real browser, through the UI only:
 * two small runs trained from the Train Model form are appended to the workspace's
 * experiments.s2slog; a note typed into the log notebook between them is kept exactly; the log
 * shows both runs (settings table, chart.js curves from the notebook renderer, final metrics)
 * and the note; running a run cell opens the Train Model form prefilled with that run's
 * settings. Screenshot: test/e2e/screenshots/experiment-log.png (the README's picture).
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Frame } from 'playwright-core';
import { EXTENSION_VSIX } from '../harness/paths';
import { useHarnessSession } from '../harness/mochaSession';
import { fillDatesForm } from './workflowHelpers';
import { HarnessSession, waitFor } from '../harness/session';

/** Small runs (seconds each on 2 cores) that still evaluate often enough to draw a curve. */
const RUN_1: Record<string, string> = { 'Task size': '2000', Epochs: '5', 'Batch size': '32', 'Hidden size': '16', 'Evaluate every (steps)': '25', 'Evaluation samples': '30', Patience: '0' };
const RUN_2: Record<string, string> = { ...RUN_1, 'Hidden size': '48' };
const NOTE_HEADING = 'Note after run 1';
const NOTE_TEXT = 'The loss is still falling at the end: try a wider hidden layer next.';

interface LoggedCell { kind: string; source?: string; state?: string; runDir?: string; config?: Record<string, unknown>; result?: { metrics: Record<string, number | null> } | null }

describe('e2e: experiment log notebook', function () {
  this.timeout(300_000);
  let session: HarnessSession;
  let runsDir: string;
  let logFile: string;

  useHarnessSession(
    'log',
    () => ({
      extensions: [EXTENSION_VSIX],
      settings: { 'seq2seqLab.runsDirectory': runsDir, 'notebook.markup.fontSize': 13 },
      // Tall enough for the whole log (two runs and the note) in one picture.
      viewport: { width: 1440, height: 2300 },
    }),
    s => {
      session = s;
      logFile = path.join(s.workspace, 'experiments.s2slog');
    },
    {
      prepare: () => void (runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'seq2seq-e2e-log-runs-'))),
      cleanup: failed => failed || fs.rmSync(runsDir, { recursive: true, force: true }),
    },
  );


  const page = () => session.page!;

  function cells(): LoggedCell[] {
    try {
      return (JSON.parse(fs.readFileSync(logFile, 'utf8')) as { cells: LoggedCell[] }).cells;
    } catch {
      return []; // not written yet
    }
  }

  async function train(fields: Record<string, string>): Promise<void> {
    await session.runCommand('Seq2Seq: Train Model');
    const form = await session.webviewFrame('body[data-ready="true"] #field-hiddenSize', 60_000);
    await fillDatesForm(form, fields);
    await form.getByRole('button', { name: 'Start training' }).click();
  }

  /** The notebook's output webview (markdown cells and outputs render there). */
  async function notebookFrame(selector: string): Promise<Frame> {
    return session.webviewFrame(selector, 60_000);
  }

  it('run 1, trained from the form, is appended to experiments.s2slog in the workspace', async () => {
    assert.equal(fs.existsSync(logFile), false, 'no log before the first run');
    await train(RUN_1);
    await waitFor('run 1 completed in the log', () => (cells()[0]?.state === 'completed' ? true : undefined), 180_000, 500);
    const [run] = cells();
    assert.equal(run.kind, 'run');
    assert.equal(run.config?.hiddenSize, 16);
    assert.equal(typeof run.result?.metrics.exactMatch, 'number');
  });

  it('a note typed into the log notebook is saved after run 1', async () => {
    await session.runCommand('Seq2Seq: Open Experiment Log');
    await page().locator('.notebook-editor').first().waitFor({ timeout: 30_000 });
    // The run cell's curves come from our renderer.
    await notebookFrame('.s2s-run canvas');
    // Focus run 1's cell (its text, not its Run button), leave the cell editor, add a Markdown cell below.
    await page().locator('.notebook-editor .cell-list-container .monaco-list-row .monaco-editor .view-lines').first().click();
    await page().keyboard.press('Escape');
    await session.runCommand('Notebook: Insert Markdown Cell Below');
    await page().keyboard.type(`## ${NOTE_HEADING}`);
    await page().keyboard.press('Enter');
    await page().keyboard.press('Enter');
    await page().keyboard.type(NOTE_TEXT);
    await page().keyboard.press('Escape');
    await page().keyboard.press('Control+S');
    const note = `## ${NOTE_HEADING}\n\n${NOTE_TEXT}`;
    await waitFor('the note saved in the log', () => (cells()[1]?.source === note ? true : undefined), 30_000, 500);
    assert.deepEqual(cells().map(c => c.kind), ['run', 'markdown']);
  });

  it('run 2 is appended after the note; the notebook shows both runs, their settings, curves, metrics and the note', async () => {
    const before = cells();
    await train(RUN_2);
    await waitFor('run 2 completed in the log', () => (cells()[2]?.state === 'completed' ? true : undefined), 180_000, 500);
    const after = cells();
    assert.deepEqual(after.map(c => c.kind), ['run', 'markdown', 'run']);
    assert.deepEqual(after.slice(0, 2).map(c => c.source), before.map(c => c.source), 'run 2 left the note as it was');
    assert.equal(after[2].config?.hiddenSize, 48);

    // Back to the log: its editor tab.
    await page().locator('.tabs-container .tab', { hasText: 'experiments.s2slog' }).first().click();
    const frame = await notebookFrame('.s2s-run canvas');
    await waitFor('both runs drawn by the renderer', async () => ((await frame.locator('.s2s-run').count()) === 2 ? true : undefined), 60_000);
    // chart.js drew into real canvases.
    const drawn = await frame.locator('.s2s-run canvas').evaluateAll(canvases => canvases.map(c => (c as HTMLCanvasElement).width * (c as HTMLCanvasElement).height));
    assert.ok(drawn.length >= 2 && drawn.every(area => area > 0), `canvas sizes ${drawn}`);
    // Markdown cells and outputs render inside shadow roots: locators pierce them, innerText does not.
    await frame.locator('h2', { hasText: NOTE_HEADING }).first().waitFor({ timeout: 30_000 });
    await frame.getByText(NOTE_TEXT).first().waitFor({ timeout: 10_000 });
    // The row whose key is hiddenSize (a string would also match encoderHiddenSize, case-insensitively).
    const settingRows = frame.locator('table tr', { hasText: /^\s*hiddenSize/ });
    await waitFor('both hyperparameter tables', async () => ((await settingRows.count()) >= 2 ? true : undefined), 30_000);
    assert.deepEqual((await settingRows.allInnerTexts()).map(t => t.split(/\s+/).filter(Boolean).slice(0, 2).join(' ')), ['hiddenSize 16', 'hiddenSize 48']);
    assert.equal(await frame.locator('h1, h2, h3', { hasText: /— completed/ }).count(), 2, 'both runs completed');
    assert.ok((await frame.locator('.s2s-run', { hasText: 'Exact match' }).count()) === 2, 'final metrics of both runs');
    // The whole log from the top for the picture.
    // (The outputs' webview covers most of the notebook: wheel over the cells' left gutter.)
    const box = (await page().locator('.notebook-editor').first().boundingBox())!;
    await page().mouse.move(box.x + 6, box.y + box.height / 2);
    await page().mouse.wheel(0, -10_000);
    await frame.locator('.s2s-run').first().waitFor({ state: 'visible' });
    await session.runCommand('Notifications: Clear All Notifications');
    await session.screenshot('experiment-log');
  });

  it('running a run cell opens the Train Model form prefilled with that run', async () => {
    // Run 1's cell (the first) in the log: its Run button.
    await page().locator('.tabs-container .tab', { hasText: 'experiments.s2slog' }).first().click();
    const firstCell = page().locator('.notebook-editor .cell-list-container .monaco-list-row').first();
    // The notebook's list scrolls by itself (Playwright cannot scroll it into view): wheel over the
    // cells' left gutter until the first cell's top is inside the editor (a loaded machine may
    // still be scrolling, or re-laying out the outputs, after the previous test's wheel).
    await waitFor('the first cell in view', async () => {
      const editor = (await page().locator('.notebook-editor').first().boundingBox())!;
      const cell = await firstCell.boundingBox();
      if (cell && cell.y >= editor.y - 1 && cell.y < editor.y + editor.height - 40) return true;
      await page().mouse.move(editor.x + 6, editor.y + editor.height / 2);
      await page().mouse.wheel(0, -10_000);
      return undefined;
    }, 30_000, 500);
    await firstCell.hover();
    await firstCell.locator('.run-button-container .codicon-notebook-execute').first().click();
    // With a single controller for the type VS Code may still ask once which one to use.
    const picker = page().locator('.quick-input-list .monaco-list-row', { hasText: 'Seq2Seq Lab' }).first();
    if (await picker.isVisible({ timeout: 5_000 }).catch(() => false)) await picker.click();
    const hidden = await waitFor(
      'a Train Model form with run 1 settings',
      async () => {
        for (const frame of page().frames()) {
          const field = await frame.$('body[data-ready="true"] #field-hiddenSize').catch(() => null);
          const value = field && (await field.evaluate(el => (el as HTMLInputElement).value).catch(() => undefined));
          if (value === '16') return value;
        }
        return undefined;
      },
      60_000,
    );
    assert.equal(hidden, '16');
    await session.screenshot('experiment-log-rerun-form');
  });
});
