/**
 * The run queue and a sweep inside the real VS Code (code-server + chromium): a sweep of 4 small
 * runs (hidden size 8, 12 × 2 seeds) queued from the Train Model form, the Queue view listing
 * them, the experiments table filling in live, a window reload while a trial trains, and the
 * queue going on after it: every trial ends completed with its own settings, and queue.json ends
 * empty. Then the table sorts and filters the trials, its sweep link
 * opens the sweep page, whose parallel-coordinates plot has a line per trial and whose "Train with
 * the best settings" queues the best trial's settings. Screenshots: docs/images/queue.png,
 * sweep-table.png, sweep-page.png (one session: the whole CI stays fast).
 *
 * Run alone (shared machine: hold the harness lock):
 *   HARNESS_CACHE=/work/main/.vscode-test flock /tmp/seq2seq-harness.lock sh -c 'npm run build:harness && npx mocha --no-config -r tsx/cjs --timeout 900000 --slow 10000 test/e2e/queue.e2e.ts'
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Frame } from 'playwright-core';
import { EXTENSION_VSIX } from '../harness/paths';
import { useHarnessSession } from '../harness/mochaSession';
import { HarnessSession, waitFor } from '../harness/session';
import { shot } from './workflowHelpers';

/** Each trial: a few thousand dates, three epochs (tens of seconds on a quiet machine: long enough to reload during one). */
const TINY: Record<string, string> = {
  'Task size': '4000',
  Epochs: '3',
  'Embedding size': '8',
  'Batch size': '16',
  'Evaluation samples': '20',
  'Evaluate every (steps)': '5',
  Patience: '0',
  'Training threads': '1',
};

interface TrialDir { name: string; manifest?: { state?: string }; config?: { hiddenSize?: number; seed?: number }; sweep?: { id: string; trial: number } }

function trials(runsDir: string): TrialDir[] {
  return fs.readdirSync(runsDir).filter(n => n.startsWith('sweep-')).map(name => {
    const read = (file: string) => {
      try {
        return JSON.parse(fs.readFileSync(path.join(runsDir, name, file), 'utf8'));
      } catch {
        return undefined;
      }
    };
    return { name, manifest: read('manifest.json'), config: read('config.json')?.config, sweep: read('config.json')?.sweep };
  });
}

describe('e2e: the run queue and a sweep from the form', function () {
  let session: HarnessSession;
  let runsDir: string;
  let form: Frame;
  let table: Frame;

  const rowCount = async () => Number(await table.locator('body').getAttribute('data-rows'));
  const states = async () => table.locator('#experiments tbody tr td[data-column="state"]').allInnerTexts();

  useHarnessSession(
    'queue',
    () => ({ extensions: [EXTENSION_VSIX], settings: { 'seq2seqLab.runsDirectory': runsDir }, viewport: { width: 1600, height: 900 } }),
    s => (session = s),
    {
      prepare: () => {
        runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 's2s-queue-runs-'));
      },
      cleanup: failed => failed || !runsDir || fs.rmSync(runsDir, { recursive: true, force: true }),
    },
  );

  it('Sweep in the form queues 4 trials (hidden size 8, 12 × 2 seeds); the Queue view lists them', async function () {
    this.timeout(300_000);
    await session.runCommand('Seq2Seq: Train Model');
    form = await session.webviewFrame('body[data-ready="true"] #field-hiddenSize', 60_000);
    await form.getByRole('radio', { name: 'Built-in task' }).click();
    await form.locator('#task').click();
    await form.locator('#task vscode-option', { hasText: /^\s*dates —/ }).first().click();
    for (const [label, text] of Object.entries(TINY)) await form.getByRole('textbox', { name: label, exact: true }).fill(text);
    await form.getByRole('textbox', { name: 'Hidden size', exact: true }).fill('8, 12');
    // A field with several values is a sweep: Start and Queue wait for Sweep.
    assert.equal(await form.locator('#start').evaluate(e => (e as unknown as { disabled: boolean }).disabled), true);
    await form.getByRole('textbox', { name: 'Seeds per setting', exact: true }).fill('2');
    assert.match(await form.locator('#sweep-message').innerText(), /Sweep over hiddenSize with 2 seed\(s\) per setting/);
    await form.getByRole('button', { name: 'Sweep' }).click();
    // Read from the files, not the form: the first trial starts at once and its dashboard may take the form's place.
    const queueFile = path.join(runsDir, 'queue.json');
    await waitFor('the 4 trials to be queued (or the first already training)', async () => {
      if (!fs.existsSync(queueFile)) return undefined;
      const waiting = (JSON.parse(fs.readFileSync(queueFile, 'utf8')) as { items: unknown[] }).items.length;
      return waiting >= 3 && waiting + trials(runsDir).length >= 4 ? true : undefined;
    }, 60_000, 500);
    const saved = JSON.parse(fs.readFileSync(path.join(runsDir, 'queue.json'), 'utf8')) as { items: Array<{ request: { config: { hiddenSize: number; seed: number } } }> };
    // The first trial may already have left the queue to train (one at a time): the rest wait in order.
    const queued = saved.items.map(i => [i.request.config.hiddenSize, i.request.config.seed]);
    assert.ok(queued.length >= 3, JSON.stringify(queued));
    assert.deepEqual(queued, [[8, 1], [8, 2], [12, 1], [12, 2]].slice(4 - queued.length));
    await session.runCommand('Focus on Queue View');
    const rows = session.page!.locator('.monaco-list-row', { hasText: /sweep-.*trial/ });
    await waitFor('the Queue view to list the trials', async () => ((await rows.count()) >= 1 ? true : undefined), 60_000, 500);
    await session.screenshot('queue-view');
  });

  it('the experiments table fills in live: the trials appear as they start, with their sweep', async function () {
    this.timeout(300_000);
    await session.runCommand('Seq2Seq: Show Experiments');
    table = await session.webviewFrame('body[data-ready="true"] #experiments', 60_000);
    await waitFor('a trial training in the table', async () => ((await states()).some(s => /running/.test(s)) ? true : undefined), 240_000, 500);
    assert.match(await table.locator('#experiments tbody tr td[data-column="sweep"]').first().innerText(), /^sweep-\S+ #\d$/);
  });

  it('a window reload while a trial trains leaves the queue going on: all 4 complete with their settings', async function () {
    this.timeout(900_000);
    await waitFor('the first trial to train', async () => (trials(runsDir).some(t => t.manifest?.state === 'running') ? true : undefined), 300_000, 500);
    await session.page!.reload();
    await session.page!.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await waitFor(
      'every trial to complete',
      async () => {
        const all = trials(runsDir);
        return all.length === 4 && all.every(t => t.manifest?.state === 'completed') ? true : undefined;
      },
      780_000,
      2000,
    );
    const all = trials(runsDir);
    assert.deepEqual(all.map(t => `${t.config?.hiddenSize}/${t.config?.seed}`).sort(), ['12/1', '12/2', '8/1', '8/2']);
    await waitFor('queue.json to end empty', async () => (JSON.parse(fs.readFileSync(path.join(runsDir, 'queue.json'), 'utf8')).items.length === 0 ? true : undefined), 30_000, 500);
    await session.screenshot('queue-after-reload');
  });

  it('the table sorts and filters the trials; its sweep link opens the sweep page, drawn with a line per trial', async function () {
    this.timeout(300_000);
    // The table's restore after a reload is experiments.e2e.ts's; here the command brings it to the front (restored or not).
    await session.runCommand('Seq2Seq: Show Experiments');
    table = await session.webviewFrame('body[data-ready="true"] #experiments tbody tr', 60_000);
    await waitFor('the 4 completed trials in the table', async () => ((await rowCount()) === 4 && (await states()).every(s => /completed/.test(s)) ? true : undefined), 60_000, 500);
    // Sort by best validation loss: the order the metrics files say.
    const bestLoss = (name: string) => Math.min(...fs.readFileSync(path.join(runsDir, name, 'metrics.jsonl'), 'utf8').split('\n').filter(Boolean).map(l => JSON.parse(l)).filter(r => r.split === 'valid').map(r => r.loss as number));
    const byFolder = Object.fromEntries(trials(runsDir).map(t => [t.name, bestLoss(t.name)]));
    await table.locator('button.sort[data-column="best.loss"]').click();
    assert.equal(await table.locator('th[data-column="best.loss"]').getAttribute('aria-sort'), 'ascending');
    const folders = await table.locator('#experiments tbody tr td[data-column="name"] .name').allInnerTexts();
    assert.deepEqual(folders.map(f => byFolder[f]), Object.values(byFolder).sort((a, b) => a - b));
    // Filter by the swept setting.
    await table.getByLabel('Filter Hidden size', { exact: true }).fill('8');
    await waitFor('the two hidden size 8 trials', async () => ((await rowCount()) === 2 ? true : undefined), 10_000);
    assert.deepEqual((await table.locator('#experiments tbody tr td[data-column="hp.hiddenSize"]').allInnerTexts()).map(s => s.trim()), ['8', '8']);
    await table.getByLabel('Filter Hidden size', { exact: true }).fill('');
    await waitFor('all trials again', async () => ((await rowCount()) === 4 ? true : undefined), 10_000);
    // The filter box scrolled the table sideways: back to its first columns for the picture.
    await table.getByLabel('Search runs').focus();
    await table.evaluate(() => document.querySelectorAll('*').forEach(e => void ((e as HTMLElement).scrollLeft = 0)));
    await session.runCommand('Notifications: Clear All Notifications').catch(() => undefined);
    await session.runCommand('View: Toggle Primary Side Bar Visibility');
    await shot(session, 'sweep-table', 'sweep-table');
    await session.runCommand('View: Toggle Primary Side Bar Visibility');

    await table.locator('#experiments tbody tr button[data-action="sweep"]').first().click();
    const page = await session.webviewFrame('body[data-ready="true"] #parallel', 60_000);
    await waitFor('a line with its metric for every trial', async () => ((await page.locator('#parallel polyline.trial[data-metric]').count()) === 4 ? true : undefined), 30_000, 500);
    assert.equal(await page.locator('#parallel').getAttribute('data-axes'), '2', 'hidden size, then the metric');
    assert.match(await page.locator('#progress-text').innerText(), /^4 trials: 4 completed · 0 running · 0 queued · 0 pruned/);
    assert.equal(await page.locator('#metric-vs-chart').getAttribute('data-points'), '4');
    assert.equal(await page.locator('#metric-vs-chart').getAttribute('data-means'), '2', 'mean ± std of each hidden size over its 2 seeds');
    assert.equal(await page.locator('body').getAttribute('data-csp-violations'), null, 'no CSP violations');
    assert.equal(await page.locator('body').getAttribute('data-errors'), null, 'no errors reported by the webview');
    // The picture for the README: the editor area only (side bar closed, no notifications).
    await session.runCommand('Notifications: Clear All Notifications').catch(() => undefined);
    await session.runCommand('View: Toggle Primary Side Bar Visibility');
    await shot(session, 'sweep-page', 'sweep-page');
    await session.runCommand('View: Toggle Primary Side Bar Visibility');

    // Train with the best settings: a run with the best trial's hidden size and seed is queued and starts.
    const bestRow = page.locator('#trials tbody tr.best');
    const bestTrial = Number(await bestRow.getAttribute('data-trial'));
    const best = trials(runsDir).find(t => t.sweep?.trial === bestTrial)!;
    await page.getByRole('button', { name: 'Train with the best settings' }).click();
    const again = await waitFor('a run with the best settings', async () => fs.readdirSync(runsDir).find(n => !n.startsWith('sweep-') && fs.existsSync(path.join(runsDir, n, 'config.json'))), 120_000, 500);
    const config = JSON.parse(fs.readFileSync(path.join(runsDir, again, 'config.json'), 'utf8')).config;
    assert.deepEqual([config.hiddenSize, config.seed], [best.config!.hiddenSize, best.config!.seed]);
    await session.runCommand('Seq2Seq: Stop Training');
  });
});
