/**
 * The "Done when" path in the real VS Code (code-server) and a real browser, only
 * through the workbench UI: palette → Train Model (fast preset, dates) to the end with the
 * status bar and the Runs view; Translate Selection of `march 3 2021` → `2021-03-03` with its
 * attention; Stop mid-run → Resume continues; killing the engine mid-run → error notification,
 * an interrupted run, and the next command works. Screenshots go to test/e2e/screenshots.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Frame } from 'playwright-core';
import { EXTENSION_VSIX } from '../harness/paths';
import { useHarnessSession } from '../harness/mochaSession';
import { HarnessSession, waitFor } from '../harness/session';
import { engineProcesses, fillDatesForm, newestRun, openDatesFile as openDatesFileIn, readManifest } from './workflowHelpers';

/** Small overrides of the fast preset: ~99 % exact match on dates in well under a minute on 2 cores. */
const ACCURATE: Record<string, string> = { 'Task size': '3000', Epochs: '6', 'Batch size': '32' };
/** A run long enough to be stopped and killed; evaluates (and checkpoints) every 20 steps. */
const LONG: Record<string, string> = { 'Task size': '3000', Epochs: '30', 'Batch size': '16', 'Evaluate every (steps)': '20', 'Evaluation samples': '30', Patience: '0' };

describe('e2e: train, translate, stop/resume, engine crash', function () {
  this.timeout(240_000);
  let session: HarnessSession;
  let runsDir: string;

  useHarnessSession(
    'workflow',
    () => ({ extensions: [EXTENSION_VSIX], settings: { 'seq2seqLab.runsDirectory': runsDir } }),
    s => (session = s),
    {
      prepare: () => void (runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'seq2seq-e2e-runs-'))),
      cleanup: failed => failed || fs.rmSync(runsDir, { recursive: true, force: true }),
    },
  );


  const page = () => session.page!;

  async function openForm(): Promise<Frame> {
    await session.runCommand('Seq2Seq: Train Model');
    return session.webviewFrame('body[data-ready="true"] #field-hiddenSize', 60_000);
  }

  async function fillAndStart(form: Frame, fields: Record<string, string>, screenshot?: string): Promise<void> {
    await fillDatesForm(form, fields);
    if (screenshot) await session.screenshot(screenshot);
    await form.getByRole('button', { name: 'Start training' }).click();
  }

  const openDatesFile = () => openDatesFileIn(page());

  const statusItem = () => page().locator('.part.statusbar .statusbar-item', { hasText: /epoch \d+/ }).first();

  async function runsViewRow(name: string, state: RegExp): Promise<string> {
    const activity = page().locator('.part.activitybar .action-item a[aria-label^="Seq2Seq Lab"], .part.activitybar .action-item[aria-label^="Seq2Seq Lab"]').first();
    // Rendered rows only (a hidden view keeps its rows in the DOM).
    const row = page().locator('.pane-body .monaco-list-row:visible', { hasText: name }).first();
    const all = page().locator('.pane-body .monaco-list-row', { hasText: name });
    if (!(await row.isVisible().catch(() => false))) await activity.click();
    let seen = '';
    return waitFor(
      `${name} ${state} in the Runs view`,
      async () => {
        // No refresh click: the view must follow the run's state by itself.
        const text = await row.innerText().catch(() => '');
        if (state.test(text)) return text;
        seen = text;
        return undefined;
      },
      30_000,
      1_000,
    ).catch(async error => {
      const texts = await all.allInnerTexts().catch(() => []);
      throw new Error(`${(error as Error).message}; the visible row read ${JSON.stringify(seen)}; all rows: ${JSON.stringify(texts)}`);
    });
  }

  it('Train Model with the fast preset on dates trains to the end; status bar and Runs view follow', async () => {
    const form = await openForm();
    await fillAndStart(form, ACCURATE, 'workflow-form');
    // The status bar shows epoch and loss, and changes as training goes on.
    const lossText = async () => {
      const text = (await statusItem().isVisible()) ? await statusItem().innerText() : '';
      return /epoch \d+ · loss \d+\.\d{3}/.test(text) ? text : undefined;
    };
    const first = await waitFor('the status bar item to show epoch and loss', lossText, 60_000);
    await waitFor('the status bar to update', async () => {
      const text = await lossText().catch(() => undefined);
      return text && text !== first ? text : undefined;
    }, 60_000);
    await session.screenshot('workflow-dashboard-training');
    const done = await session.notification(/completed: [\d.]+ % exact match/, 150_000);
    const exact = Number(/completed: ([\d.]+) %/.exec(done)![1]);
    assert.ok(exact >= 90, `exact match ${exact} % on the test split`);
    await waitFor('the status bar item to go', async () => !(await statusItem().isVisible()) || undefined, 10_000);
    const run = newestRun(runsDir)!;
    assert.equal(readManifest(run).state, 'completed');
    // The best checkpoint by the early-stopping metric (the validation loss by default).
    assert.match(await runsViewRow(path.basename(run), /completed/), /best loss \d/);
    await session.screenshot('workflow-runs-view');
  });

  it('Translate Selection of "march 3 2021" yields 2021-03-03 and opens attention of shape [10][12]', async () => {
    const lines = await openDatesFile();
    await page().keyboard.press('Control+Home');
    await page().keyboard.press('Shift+End');
    await session.runCommand('Seq2Seq: Translate Selection');
    const title = page().locator('.quick-input-widget .quick-input-title');
    await waitFor('the translation quick pick', async () => /2021-03-03/.test(await title.innerText().catch(() => '')) || undefined, 60_000);
    // Per-token confidence of every output character.
    const detail = await page().locator('.quick-input-list .monaco-list-row', { hasText: '← march 3 2021' }).first().innerText();
    assert.match(detail, /2 \d+% · 0 \d+% · 2 \d+% · 1 \d+% · - \d+%/);
    await session.screenshot('workflow-translation');
    await page().locator('.quick-input-list .monaco-list-row', { hasText: 'Replace' }).first().click();
    await waitFor('the editor to show 2021-03-03', async () => (await lines.locator('.view-line').first().innerText()).trim() === '2021-03-03' || undefined, 10_000);

    const attention = await session.webviewFrame('body[data-ready="true"] #heatmap', 60_000);
    const sources = await attention.locator('#heatmap thead th.source-token').count();
    const outputs = await attention.locator('#heatmap tbody th.output-token').count();
    assert.deepEqual([outputs, sources], [10, 12], 'rows: 2021-03-03, columns: march 3 2021');
    assert.equal(await attention.locator('#heatmap td.cell').count(), 120);
    await session.screenshot('workflow-attention');
    await page().keyboard.press('Control+Z');
  });

  let stopped: { dir: string; step: number };

  it('Stop Training mid-run leaves a checkpoint; Resume Training continues from it', async () => {
    const form = await openForm();
    await fillAndStart(form, LONG);
    const run = await waitFor('a run with a checkpoint', () => {
      const dir = newestRun(runsDir);
      return dir && readManifest(dir).state === 'running' && fs.existsSync(path.join(dir, 'checkpoints', 'last.ckpt')) ? dir : undefined;
    }, 90_000);
    await session.runCommand('Seq2Seq: Stop Training');
    await session.notification(/stopped; its checkpoint is saved/, 60_000);
    const manifest = readManifest(run);
    assert.equal(manifest.state, 'cancelled');
    assert.ok(manifest.step > 0);
    stopped = { dir: run, step: manifest.step };
    await runsViewRow(path.basename(run), /cancelled/);

    await session.runCommand('Seq2Seq: Resume Training');
    await page().locator('.quick-input-list .monaco-list-row', { hasText: path.basename(run) }).first().click();
    // The dashboard's curves go on past the step where the run stopped.
    const dashboard = await session.webviewFrame('body[data-ready="true"] #chart-loss', 60_000);
    await waitFor('evaluation points after the stop', async () => {
      const label = (await dashboard.locator('#chart-accuracy').getAttribute('aria-label')) ?? '';
      const step = Number(/at step (\d+)/.exec(label)?.[1] ?? 0);
      return step > stopped.step || undefined;
    }, 90_000);
    // What auto decided for the run (its start event, or config.json's decisions): dates tokenizes characters.
    await dashboard.locator('#decisions:not([hidden])').waitFor({ timeout: 30_000 });
    assert.match(await dashboard.locator('#decisions-sides tbody tr').first().innerText(), /Tokenizer\s+char\b.*\s+char\b/);
    // …and the run saves checkpoints past it.
    await waitFor('a checkpoint after the stop', () => readManifest(run).step > stopped.step || undefined, 60_000);
    assert.equal(readManifest(run).state, 'running');
    await session.screenshot('workflow-dashboard-resumed');
  });

  it('killing the engine mid-run shows an error with Show Log, marks the run interrupted, and the next command works', async () => {
    const pids = engineProcesses(session.extensionsDir);
    assert.equal(pids.length, 1, `one engine process (${pids.join(', ')})`);
    process.kill(pids[0], 'SIGKILL');
    const text = await session.notification(/engine stopped unexpectedly/, 30_000);
    assert.match(text, /interrupted/);
    await waitFor('interrupted manifest', () => readManifest(stopped.dir).state === 'interrupted' || undefined, 10_000);
    await runsViewRow(path.basename(stopped.dir), /interrupted/);
    await session.screenshot('workflow-engine-crash');
    const toast = page().locator('.notifications-toasts .notification-toast', { hasText: 'engine stopped unexpectedly' }).first();
    await toast.locator('.monaco-button', { hasText: 'Show Log' }).click();
    await page().locator('.part.panel .monaco-editor', { hasText: 'ended unexpectedly' }).first().waitFor({ timeout: 20_000 });

    // The next command starts a fresh engine: translate the second line of dates.txt.
    await openDatesFile();
    await page().keyboard.press('Control+Home');
    await page().keyboard.press('ArrowDown');
    await page().keyboard.press('Home');
    await page().keyboard.press('Shift+End');
    await session.runCommand('Seq2Seq: Translate Selection');
    const title = page().locator('.quick-input-widget .quick-input-title');
    await waitFor('a translation from a fresh engine', async () => /1999-01-15/.test(await title.innerText().catch(() => '')) || undefined, 60_000);
    const fresh = engineProcesses(session.extensionsDir);
    assert.equal(fresh.length, 1);
    assert.notEqual(fresh[0], pids[0]);
    await page().keyboard.press('Escape');
  });
});
