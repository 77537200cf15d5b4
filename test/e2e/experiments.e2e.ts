/**
 * The experiments table in the real VS Code (code-server + chromium) over real runs: two tiny
 * `dates` runs trained by the CLI before the session, and a third trained by the CLI while the
 * table is open (it appears running, then completed, without a refresh). Sorts by a metric both
 * ways, filters by a hyperparameter and by text, renames a run and edits its notes in place
 * (checked in the run's annotations.json), stars one from the keyboard, exports the CSV through
 * VS Code's save dialog, opens the comparison of two selected runs and the Train Model form
 * prefilled from a row, queues a run with a row's settings (it trains and fills in live), and
 * comes back after a window reload with its sort. Writes
 * docs/images/experiments-table.png.
 *
 * Run alone (shared machine: hold the harness lock):
 *   HARNESS_CACHE=/work/main/.vscode-test flock /tmp/seq2seq-harness.lock sh -c 'npm run build:harness && npx mocha --no-config -r tsx/cjs --timeout 600000 --slow 10000 test/e2e/experiments.e2e.ts'
 */
import { strict as assert } from 'assert';
import { execFileSync, spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Frame } from 'playwright-core';
import { RUN_ANNOTATIONS_FILE } from '../../src/shared/experimentsProtocol';
import { EXTENSION_VSIX, ROOT } from '../harness/paths';
import { useHarnessSession } from '../harness/mochaSession';
import { HarnessSession, waitFor } from '../harness/session';
import { shot } from './workflowHelpers';

/** A tiny run (seconds): 600 dates, two epochs, evaluated every 8 steps. */
const TINY = ['taskSize=600', 'epochs=2', 'embeddingSize=16', 'batchSize=32', 'evalEverySteps=8', 'patience=0', 'learningRate=0.01', 'seed=5'];
const RUNS: Record<string, string[]> = {
  'dates-lstm': [...TINY, 'cell=lstm', 'hiddenSize=48'],
  'dates-gru': [...TINY, 'cell=gru', 'hiddenSize=48'],
};
/** Trained while the table is open: a different size too. */
const LIVE = [...TINY.map(s => (s.startsWith('taskSize=') ? 'taskSize=1200' : s)), 'cell=lstm', 'hiddenSize=32'];

function trainArgs(out: string, settings: string[]): string[] {
  return [path.join(ROOT, 'bin', 'seq2seq-lab.js'), 'train', '--task', 'dates', '--out', out, ...settings.flatMap(s => ['--set', s])];
}

/** The validation lines of a run's metrics.jsonl. */
function validationLines(runDir: string): Array<Record<string, unknown>> {
  return fs.readFileSync(path.join(runDir, 'metrics.jsonl'), 'utf8').split('\n').filter(Boolean).map(l => JSON.parse(l)).filter(r => r.split === 'valid');
}

function annotations(runDir: string): Record<string, unknown> {
  const file = path.join(runDir, RUN_ANNOTATIONS_FILE);
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
}

describe('e2e: experiments table in VS Code', function () {
  this.timeout(300_000);
  let session: HarnessSession;
  let runsDir: string;
  let table: Frame;
  let live: ChildProcess | undefined;

  useHarnessSession(
    'experiments',
    () => ({ extensions: [EXTENSION_VSIX], settings: { 'seq2seqLab.runsDirectory': runsDir }, viewport: { width: 1600, height: 900 } }),
    s => (session = s),
    {
      prepare: () => {
        runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 's2s-experiments-runs-'));
        for (const [name, settings] of Object.entries(RUNS)) execFileSync(process.execPath, trainArgs(path.join(runsDir, name), settings), { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
      },
      cleanup: failed => {
        if (live && live.exitCode === null) live.kill();
        if (!failed && runsDir) fs.rmSync(runsDir, { recursive: true, force: true });
      },
    },
  );

  const rowNames = async () => table.locator('#experiments tbody tr td[data-column="name"] .name').allInnerTexts();
  const row = (name: string) => table.locator('#experiments tbody tr', { has: table.locator('.name', { hasText: new RegExp(`^${name}$`) }) });
  const rowCount = async () => Number(await table.locator('body').getAttribute('data-rows'));

  /** Brings the table's tab to the front and finds its (rebuilt) webview. */
  async function showTable(): Promise<void> {
    // By its exact label: a run trained in the window also opens experiments.s2slog (the log).
    await session.page!.locator('.tabs-container .tab[aria-label="Experiments"]').click();
    table = await session.webviewFrame('body[data-ready="true"] #experiments tbody tr', 30_000);
  }

  async function assertNoWebviewErrors(): Promise<void> {
    assert.equal(await table.locator('body').getAttribute('data-csp-violations'), null, 'no CSP violations');
    assert.equal(await table.locator('body').getAttribute('data-errors'), null, 'no errors reported by the webview');
  }

  it('opens with one row per run and only the hyperparameters that differ', async () => {
    await session.runCommand('Seq2Seq: Show Experiments');
    table = await session.webviewFrame('body[data-ready="true"] #experiments', 60_000);
    await waitFor('two rows', async () => ((await rowCount()) === 2 ? true : undefined), 30_000);
    assert.deepEqual((await rowNames()).sort(), ['dates-gru', 'dates-lstm']);
    const headings = await table.locator('#experiments thead tr.headings th').evaluateAll(ths => ths.map(th => (th as HTMLElement).dataset.column).filter(Boolean));
    assert.ok(headings.includes('hp.cell'), `the differing cell column (${headings.join()})`);
    assert.ok(!headings.includes('hp.hiddenSize') && !headings.includes('hp.learningRate'), 'no column for settings the runs share');
    for (const id of ['state', 'name', 'notes', 'dataset', 'duration', 'tokensPerSecond', 'best.exactMatch', 'final.exactMatch']) assert.ok(headings.includes(id), id);
    assert.equal((await row('dates-gru').locator('td[data-column="hp.cell"]').innerText()).trim(), 'gru');
    assert.match(await row('dates-lstm').locator('td[data-column="state"]').innerText(), /completed/);
    assert.match(await row('dates-lstm').locator('td[data-column="dataset"]').innerText(), /task dates/);
    assert.match(await row('dates-lstm').locator('td[data-column="duration"]').innerText(), /\d+ s/);
    await table.getByLabel('All hyperparameters').check();
    await table.locator('th[data-column="hp.learningRate"]').waitFor({ timeout: 10_000 });
    await table.getByLabel('All hyperparameters').uncheck();
    await table.locator('th[data-column="hp.learningRate"]').waitFor({ state: 'detached', timeout: 10_000 });
    await assertNoWebviewErrors();
  });

  it('fills in live: a run the CLI trains now appears running, then completed', async () => {
    const dir = path.join(runsDir, 'dates-small');
    live = spawn(process.execPath, trainArgs(dir, LIVE), { cwd: ROOT, stdio: 'ignore' });
    await waitFor('the new run as running', async () => (/running/.test(await row('dates-small').locator('td[data-column="state"]').innerText({ timeout: 1000 }).catch(() => '')) ? true : undefined), 60_000);
    await waitFor('the new run completed', async () => (/completed/.test(await row('dates-small').locator('td[data-column="state"]').innerText({ timeout: 1000 }).catch(() => '')) ? true : undefined), 180_000);
    assert.equal(await rowCount(), 3);
    // Its size differs from the others now: that column appears.
    await table.locator('th[data-column="hp.hiddenSize"]').waitFor({ timeout: 10_000 });
  });

  it('sorts by best validation loss both ways (aria-sort), the order the metrics files say', async () => {
    const best = (runDir: string) => Math.min(...validationLines(runDir).map(r => r.loss as number));
    const values = Object.fromEntries(['dates-lstm', 'dates-gru', 'dates-small'].map(n => [n, best(path.join(runsDir, n))]));
    assert.equal(new Set(Object.values(values)).size, 3, `three different losses to sort (${JSON.stringify(values)})`);
    const ascending = Object.values(values).sort((a, b) => a - b);
    const shownValues = async () => (await rowNames()).map(name => values[name]);
    const sortButton = table.locator('button.sort[data-column="best.loss"]');
    await sortButton.click();
    assert.equal(await table.locator('th[data-column="best.loss"]').getAttribute('aria-sort'), 'ascending', 'best (lowest) first for a loss');
    assert.deepEqual(await shownValues(), ascending);
    await sortButton.click();
    assert.equal(await table.locator('th[data-column="best.loss"]').getAttribute('aria-sort'), 'descending');
    assert.deepEqual(await shownValues(), [...ascending].reverse());
    await table.locator('button.sort[data-column="name"]').click();
    assert.deepEqual(await rowNames(), ['dates-gru', 'dates-lstm', 'dates-small']);
  });

  it('filters by a hyperparameter value, by a range and by text', async () => {
    await table.getByLabel('Filter Cell', { exact: true }).fill('gru');
    await waitFor('one gru row', async () => ((await rowCount()) === 1 ? true : undefined), 10_000);
    assert.deepEqual(await rowNames(), ['dates-gru']);
    await table.getByLabel('Filter Cell', { exact: true }).fill('');
    await table.getByLabel('Filter Hidden size', { exact: true }).fill('<40');
    await waitFor('the small run', async () => ((await rowCount()) === 1 ? true : undefined), 10_000);
    assert.deepEqual(await rowNames(), ['dates-small']);
    await table.getByLabel('Filter Hidden size', { exact: true }).fill('40..');
    await waitFor('the two others', async () => ((await rowCount()) === 2 ? true : undefined), 10_000);
    await table.getByLabel('Filter Hidden size', { exact: true }).fill('lots');
    assert.equal(await table.getByLabel('Filter Hidden size', { exact: true }).getAttribute('aria-invalid'), 'true');
    assert.match(await table.locator('#filter-errors').innerText(), /not a number/);
    await table.getByRole('button', { name: 'Clear filters' }).click();
    await table.getByLabel('Search runs').fill('cell=gru');
    await waitFor('the text search', async () => ((await rowCount()) === 1 ? true : undefined), 10_000);
    await table.getByLabel('Search runs').fill('');
    await waitFor('all rows again', async () => ((await rowCount()) === 3 ? true : undefined), 10_000);
  });

  it('renames a run and edits its notes in place, saved in the run directory; stars it from the keyboard', async () => {
    const dir = path.join(runsDir, 'dates-gru');
    await row('dates-gru').locator('td[data-column="name"]').click();
    await table.page().keyboard.press('F2');
    const nameEditor = table.getByLabel('Name of dates-gru');
    await nameEditor.fill('GRU baseline');
    await nameEditor.press('Enter');
    await waitFor('the name in annotations.json', async () => (annotations(dir).name === 'GRU baseline' ? true : undefined), 10_000);
    await row('GRU baseline').waitFor({ timeout: 10_000 });
    assert.match(await row('GRU baseline').locator('.folder').innerText(), /dates-gru/, 'the folder name stays beside it');
    await row('GRU baseline').locator('button[data-edit="notes"]').click();
    const notes = table.getByLabel('Notes of GRU baseline');
    await notes.fill('learns faster than the LSTM here;\ntry lr 3e-3');
    await notes.press('Control+Enter');
    await waitFor('the notes in annotations.json', async () => (annotations(dir).notes === 'learns faster than the LSTM here;\ntry lr 3e-3' ? true : undefined), 10_000);
    assert.match(await row('GRU baseline').locator('td[data-column="notes"]').innerText(), /learns faster than the LSTM here;/);
    // Keyboard: the row has focus after the edit; S stars it.
    await waitFor('the row focused', async () => ((await row('GRU baseline').evaluate(tr => tr === document.activeElement)) ? true : undefined), 5_000);
    await table.page().keyboard.press('s');
    await waitFor('the star in annotations.json', async () => (annotations(dir).starred === true ? true : undefined), 10_000);
    await waitFor('the star shown', async () => ((await row('GRU baseline').locator('button.star').getAttribute('aria-pressed')) === 'true' ? true : undefined), 10_000);
    await row('dates-lstm').locator('td[data-column="notes"] button[data-edit]').click();
    const lstmNotes = table.getByLabel('Notes of dates-lstm');
    await lstmNotes.fill('baseline');
    await lstmNotes.press('Control+Enter');
    await waitFor('the other note saved', async () => (annotations(path.join(runsDir, 'dates-lstm')).notes === 'baseline' ? true : undefined), 10_000);
    await table.locator('button.sort[data-column="best.loss"]').click();
    await row('GRU baseline').locator('input.select').check();
    await row('dates-lstm').locator('input.select').check();
    assert.equal(await table.locator('#selection-status').innerText(), '2 runs selected');
    assert.equal(await table.getByRole('button', { name: 'Compare / overlay curves' }).isEnabled(), true);
    await assertNoWebviewErrors();
    // The picture for the README: the editor area only (side bar closed).
    await session.runCommand('View: Toggle Primary Side Bar Visibility');
    await shot(session, 'experiments-table', 'experiments-table');
    await session.runCommand('View: Toggle Primary Side Bar Visibility');
  });

  it('exports the rows shown as CSV through the save dialog', async () => {
    await table.getByRole('button', { name: 'Export CSV…' }).click();
    const input = session.page!.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await waitFor('the file name in the save dialog', async () => ((await input.inputValue()).endsWith('experiments.csv') ? true : undefined), 10_000);
    await session.page!.keyboard.press('Enter');
    const target = path.join(session.workspace, 'experiments.csv');
    await waitFor('experiments.csv on disk', async () => (fs.existsSync(target) ? true : undefined), 15_000);
    const csv = fs.readFileSync(target, 'utf8');
    const lines = csv.split('\r\n');
    assert.match(lines[0], /^Starred,State,Name,Notes,Dataset,/);
    assert.ok(lines[0].includes('Best Exact match') && lines[0].includes('Cell'), lines[0]);
    // The multi-line note is one quoted field.
    assert.ok(csv.includes('"learns faster than the LSTM here;\ntry lr 3e-3"'), csv);
    assert.equal(lines.filter(Boolean).length, 4, 'a header and three runs');
  });

  it('opens the comparison of the selected runs, and the Train Model form with a run\'s settings', async () => {
    await table.getByRole('button', { name: 'Compare / overlay curves' }).click();
    const compare = await session.webviewFrame('body[data-ready="true"][data-runs="2"] #final-metrics', 30_000);
    assert.deepEqual((await compare.locator('#run-list').innerText()).split(' · ').sort(), ['dates-gru', 'dates-lstm']);
    assert.equal(Number(await compare.locator('#chart-loss').getAttribute('data-lines')), 2, 'two validation loss curves overlaid');
    // Back to the table (its webview is rebuilt when shown again, from its saved state).
    await showTable();
    await row('dates-small').locator('button[data-action="train"]').click();
    const form = await session.webviewFrame('body[data-ready="true"] #field-hiddenSize', 60_000);
    const value = (selector: string) => form.locator(selector).evaluate(e => String((e as unknown as { value: unknown }).value));
    await waitFor('the form prefilled with the run\'s hidden size', async () => ((await value('#field-hiddenSize')) === '32' ? true : undefined), 20_000);
    assert.equal(await value('#field-taskSize'), '1200');
    await showTable();
  });

  it('queues a run with a row\'s settings (the queue\'s command); it appears and trains live', async () => {
    const before = new Set(fs.readdirSync(runsDir));
    await row('dates-small').locator('button[data-action="queue"]').click();
    await session.notification(/Queued a run with the settings of dates-small/, 30_000);
    const queued = await waitFor('the queued run\'s directory', () => fs.readdirSync(runsDir).find(name => !before.has(name) && fs.existsSync(path.join(runsDir, name, 'manifest.json'))), 60_000);
    // The run opens its dashboard in front of the table: back to the table (rebuilt from its state).
    await session.page!.locator('.tabs-container .tab', { hasText: 'Training:' }).first().waitFor({ timeout: 30_000 }).catch(() => undefined);
    await showTable();
    await waitFor('a fourth row', async () => ((await rowCount()) === 4 ? true : undefined), 60_000);
    const config = JSON.parse(fs.readFileSync(path.join(runsDir, queued, 'config.json'), 'utf8')).config;
    assert.equal(config.hiddenSize, 32, 'trained with the row\'s settings');
    await waitFor('the queued run completed', async () => (/completed/.test(await row(queued).locator('td[data-column="state"]').innerText({ timeout: 1000 }).catch(() => '')) ? true : undefined), 240_000);
  });

  it('comes back after a window reload with its sort', async () => {
    await session.page!.reload();
    await session.page!.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    // The restored tab may be behind the log or a dashboard: bring it to the front.
    await session.page!.locator('.tabs-container .tab[aria-label="Experiments"]').waitFor({ timeout: 90_000 });
    await showTable();
    await waitFor('four rows', async () => ((await rowCount()) === 4 ? true : undefined), 30_000);
    assert.equal(await table.locator('th[data-column="best.loss"]').getAttribute('aria-sort'), 'ascending', 'the sort survived');
    assert.ok((await rowNames()).includes('GRU baseline'));
    await assertNoWebviewErrors();
  });
});
