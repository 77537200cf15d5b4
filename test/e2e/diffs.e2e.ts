/**
 * Prediction diffs, checkpoint comparison, run comparison and the ablation inside the real
 * VS Code (code-server + chromium), with real data: two tiny `dates` runs trained by the
 * engine's CLI before the session (the runs directory setting points at them), opened through
 * the extension's own commands and quick picks. Dark theme first, then the same session
 * switched to the light theme ("Toggle between Light/Dark Themes"; the webviews follow).
 *
 * Run alone (shared machine: hold the harness lock):
 *   flock /tmp/seq2seq-harness.lock bash -c 'npm run build && npm run build:harness && npx mocha --config test/e2e/.mocharc.json test/e2e/diffs.e2e.ts'
 */
import { strict as assert } from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { chromium, type Browser, type Frame } from 'playwright-core';
import { loadingBody, shellHtml } from '../../src/shared/webviewShell';
import { CHROMIUM, EXTENSION_VSIX, ROOT } from '../harness/paths';
import { useHarnessSession } from '../harness/mochaSession';
import { HarnessSession, waitFor } from '../harness/session';
import { assertNoWebviewErrors, pickQuickItem } from './workflowHelpers';

/**
 * A small run (about 20 s) that gets about three quarters of the dates right, whose best
 * checkpoint (by token accuracy, evaluated every 40 steps: step 160) is not its last one (step
 * 171): those 11 steps change some validation predictions for the better and some for the worse
 * (seed 3: 19 improved, 14 regressed, 167 unchanged here).
 */
const RUN_A = [
  'taskSize=4000', 'epochs=3', 'hiddenSize=64', 'embeddingSize=32', 'learningRate=0.01', 'evalSamples=0', 'evalEverySteps=40', 'patience=0', 'seed=3', 'earlyStoppingMetric=tokenAccuracy',
  // Pinned, not left to the data-aware defaults: auto picks batch 32 here (twice the steps) and the
  // plateau decay, and the run then gets almost every date right, leaving nothing to diff.
  'batchSize=64', 'lrDecay=none',
];
/** The same data (task, size, seed, split) with a smaller model: a differing hyperparameter. */
const RUN_B = RUN_A.map(s => (s.startsWith('hiddenSize=') ? 'hiddenSize=48' : s));

function train(out: string, settings: string[]): void {
  execFileSync(process.execPath, [path.join(ROOT, 'bin', 'seq2seq-lab.js'), 'train', '--task', 'dates', '--out', out, ...settings.flatMap(s => ['--set', s])], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
}


describe('e2e: prediction diffs and run comparison in VS Code', function () {
  let session: HarnessSession;
  let runsDir: string;
  let runA: string;
  let runB: string;

  useHarnessSession(
    'diffs',
    () => ({ extensions: [EXTENSION_VSIX], settings: { 'seq2seqLab.runsDirectory': runsDir } }),
    s => (session = s),
    {
      // Two real runs trained with the CLI first.
      prepare: () => {
        runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 's2s-diffs-runs-'));
        runA = path.join(runsDir, 'dates-a');
        runB = path.join(runsDir, 'dates-b');
        train(runA, RUN_A);
        train(runB, RUN_B);
      },
      cleanup: failed => failed || !runsDir || fs.rmSync(runsDir, { recursive: true, force: true }),
    },
  );


  const page = () => session.page!;
  const quickInput = () => page().locator('.quick-input-widget .quick-input-box input');

  /** Picks the quick pick row containing `text` (the command opened the quick pick). */
  const pick = (text: string) => pickQuickItem(page(), text);

  async function closeEditors(): Promise<void> {
    await session.runCommand('View: Close All Editors');
  }

  let diffs: Frame;
  let compared: Frame;
  let comparison: Frame;

  it('"Show Prediction Diffs" aligns references and predictions token by token, with a summary line', async function () {
    this.timeout(240_000);
    await session.runCommand('Seq2Seq: Show Prediction Diffs');
    await pick('dates-a');
    await pick('Validation split, best checkpoint');
    diffs = await session.webviewFrame('body[data-ready="true"] #rows', 120_000);
    assert.equal(await diffs.locator('body').getAttribute('data-samples'), '200', '5 % of 4000 pairs');
    const summary = await diffs.locator('#summary').innerText();
    assert.match(summary, /^200 samples · exact match \d+\.\d+ % · token accuracy \d+\.\d+ % · CER \d+\.\d+ % · WER \d+\.\d+ % · most frequent confusions: .+ → .+ \(×\d+\)/, summary);
    assert.match(await diffs.locator('#label-a').innerText(), /^dates-a · best checkpoint \(step \d+\) · valid split$/);
    // Only the visible rows exist (virtualized), each with aligned columns and diff markings.
    const rendered = await diffs.locator('.row').count();
    assert.ok(rendered > 0 && rendered < 40, `${rendered} rows rendered of 200`);
    const marks = await diffs.locator('.row .col.sub, .row .col.del, .row .col.ins').count();
    assert.ok(marks > 0, 'substitutions, insertions or deletions are marked');
    // Tokens: the reference (top) tokens of the first row spell a date.
    const refTokens = await diffs.locator('.row').first().locator('.col .tok.top').allInnerTexts();
    assert.match(refTokens.join(''), /^\d{4}-\d{2}-\d{2}$/, refTokens.join('|'));
    // Predicted tokens are shaded by probability.
    const p = await diffs.locator('.row .col .tok.bottom').first().evaluate(e => (e as HTMLElement).style.getPropertyValue('--p'));
    assert.ok(Number(p) > 0 && Number(p) <= 1, `--p ${p}`);
    // Worst first by edit distance.
    await diffs.getByLabel('Sort', { exact: true }).selectOption('editDistance');
    const edits = (await diffs.locator('.row .score .badge').allInnerTexts()).slice(0, 4).map(t => (t === 'correct' ? 0 : Number(t.split(' ')[0])));
    assert.deepEqual(edits, [...edits].sort((x, y) => y - x), `worst first: ${edits.join(', ')}`);
    // Only wrong ones; a token filter.
    await diffs.getByLabel('Only wrong ones', { exact: true }).check();
    assert.match(await diffs.locator('#row-count').innerText(), /^Showing \d+ of 200 samples$/);
    await diffs.getByLabel('Containing token', { exact: true }).fill('9');
    const filtered = Number(await diffs.locator('body').getAttribute('data-rows'));
    assert.ok(filtered < 200, `the token filter keeps ${filtered}`);
    await diffs.getByLabel('Containing token', { exact: true }).fill('');
    // Keyboard: the list is one tab stop; arrows move the active row, which is described.
    await diffs.locator('#rows').focus();
    await page().keyboard.press('ArrowDown');
    assert.equal(await diffs.locator('#rows').getAttribute('aria-activedescendant'), 'row-1');
    assert.match(await diffs.locator('#row-detail').innerText(), /^Sample \d+: .+ Reference \d{4}-\d{2}-\d{2}\. Prediction/);
    await assertNoWebviewErrors(diffs);
    await session.screenshot('diffs-dark');
    await diffs.getByLabel('Sort', { exact: true }).selectOption('index');
    await diffs.getByLabel('Only wrong ones', { exact: true }).uncheck();
  });

  it('"Compare Checkpoints" lists improved and regressed samples with the token diff between the predictions', async function () {
    this.timeout(240_000);
    await closeEditors();
    await session.runCommand('Seq2Seq: Compare Checkpoints (Best vs Last)');
    await pick('dates-a');
    compared = await session.webviewFrame('body[data-ready="true"] #compare-summary', 120_000);
    const text = await compared.locator('#compare-summary').innerText();
    const [, improved, regressed] = /better on (\d+), worse on (\d+)/.exec(text) ?? [];
    assert.ok(Number(improved) >= 1 && Number(regressed) >= 1, text);
    const stepA = Number(/best checkpoint \(step (\d+)\)/.exec(await compared.locator('#label-a').innerText())?.[1]);
    const stepB = Number(/last checkpoint \(step (\d+)\)/.exec(await compared.locator('#label-b').innerText())?.[1]);
    assert.ok(stepA > 0 && stepB > stepA, `best at step ${stepA}, last at step ${stepB}`);
    await compared.getByLabel('Show', { exact: true }).selectOption('improved');
    assert.equal(await compared.locator('body').getAttribute('data-rows'), improved);
    assert.equal(await compared.locator('.row').count(), await compared.locator('.row.improved').count());
    await compared.getByLabel('Show', { exact: true }).selectOption('regressed');
    assert.equal(await compared.locator('body').getAttribute('data-rows'), regressed);
    const first = compared.locator('.row').first();
    assert.match(await first.locator('.badge.change').innerText(), /regressed/);
    assert.ok((await first.locator('.col.sub, .col.del, .col.ins').count()) > 0, 'the two predictions differ, token by token');
    await compared.getByLabel('Show', { exact: true }).selectOption('changed');
    assert.equal(Number(await compared.locator('body').getAttribute('data-rows')), Number(improved) + Number(regressed));
    await assertNoWebviewErrors(compared);
    await session.screenshot('compare-checkpoints-dark');
  });

  it('"Compare Runs" shows the hyperparameter table with the differing value highlighted, final metrics and overlaid curves', async function () {
    this.timeout(120_000);
    await closeEditors();
    await session.runCommand('Seq2Seq: Compare Runs');
    await quickInput().waitFor({ state: 'visible', timeout: 30_000 });
    for (const name of ['dates-a', 'dates-b']) await page().locator('.quick-input-list .monaco-list-row', { hasText: name }).first().click();
    await page().locator('.quick-input-widget .monaco-button', { hasText: 'OK' }).first().click();
    comparison = await session.webviewFrame('body[data-ready="true"] #hyperparameters', 60_000);
    assert.equal(await comparison.locator('body').getAttribute('data-runs'), '2');
    const differing = await comparison.locator('#hyperparameters tr.differs').evaluateAll(rows => rows.map(r => r.getAttribute('data-key')));
    assert.deepEqual(differing, ['hiddenSize'], 'only the hidden size differs');
    const cells = await comparison.locator('#hyperparameters tr[data-key="hiddenSize"] td').allInnerTexts();
    assert.deepEqual([...cells].sort(), ['48', '64']);
    assert.equal(await comparison.locator('#final-metrics tbody tr').count(), 2);
    assert.match(await comparison.locator('#final-metrics tbody').innerText(), /dates-a[\s\S]*completed[\s\S]*test/);
    for (const metric of ['exactMatch', 'tokenAccuracy', 'bleu', 'loss']) {
      assert.equal(await comparison.locator(`#chart-${metric}`).getAttribute('data-lines'), '2', `${metric}: a line per run on shared axes`);
    }
    await assertNoWebviewErrors(comparison);
    await session.screenshot('compare-runs-dark');
    // The shared settings are one (keyboard-operable) button away.
    assert.equal(await comparison.locator('#hyperparameters tbody.same').isVisible(), false);
    const toggle = comparison.getByRole('button', { name: /^Show the \d+ shared settings$/ });
    await toggle.focus();
    await page().keyboard.press('Enter');
    assert.equal(await comparison.locator('#hyperparameters tbody.same tr[data-key="cell"] td').first().innerText(), 'lstm');
    await page().keyboard.press('Enter');
    assert.equal(await comparison.locator('#hyperparameters tbody.same').isVisible(), false);
  });

  it('"Compare Predictions of Two Runs" compares two runs on the same data sample by sample', async function () {
    this.timeout(180_000);
    await closeEditors();
    await session.runCommand('Seq2Seq: Compare Predictions of Two Runs');
    await quickInput().waitFor({ state: 'visible', timeout: 30_000 });
    for (const name of ['dates-a', 'dates-b']) await page().locator('.quick-input-list .monaco-list-row', { hasText: name }).first().click();
    await page().locator('.quick-input-widget .monaco-button', { hasText: 'OK' }).first().click();
    const runs = await session.webviewFrame('body[data-ready="true"] #compare-summary', 120_000);
    assert.match(await runs.locator('#compare-summary').innerText(), /^B is better on \d+, worse on \d+, unchanged on \d+ of 200 samples/);
    const labels = [await runs.locator('#label-a').innerText(), await runs.locator('#label-b').innerText()];
    assert.deepEqual(labels.map(l => l.split(' · ')[0]).sort(), ['dates-a', 'dates-b']);
    assert.ok(labels.every(l => / · best checkpoint \(step \d+\) · valid split$/.test(l)), labels.join(' / '));
    await assertNoWebviewErrors(runs);
    await session.runCommand('Seq2Seq: Compare Runs');
    await quickInput().waitFor({ state: 'visible', timeout: 30_000 });
    for (const name of ['dates-a', 'dates-b']) await page().locator('.quick-input-list .monaco-list-row', { hasText: name }).first().click();
    await page().locator('.quick-input-widget .monaco-button', { hasText: 'OK' }).first().click();
    comparison = await session.webviewFrame('body[data-ready="true"] #hyperparameters', 60_000);
  });

  it('the panels follow the light theme', async function () {
    this.timeout(180_000);
    // The preferred light theme is Default Light Modern.
    await session.runCommand('Preferences: Toggle between Light/Dark Themes');
    await waitFor('the light theme', async () => /vscode-light/.test((await comparison.locator('body').getAttribute('class')) ?? '') || undefined, 60_000);
    assert.equal(await comparison.locator('#hyperparameters tr.differs').count(), 1);
    await session.screenshot('compare-runs-light');
    await closeEditors();
    await session.runCommand('Seq2Seq: Compare Checkpoints (Best vs Last)');
    await pick('dates-a');
    const light = await session.webviewFrame('body.vscode-light[data-ready="true"] #compare-summary', 120_000);
    assert.match(await light.locator('#compare-summary').innerText(), /better on [1-9]\d*, worse on [1-9]\d*/);
    const color = await light.locator('#summary').evaluate(e => getComputedStyle(e).color);
    const lightness = (color.match(/\d+/g) ?? []).slice(0, 3).map(Number).reduce((a, b) => a + b, 0) / 3;
    assert.ok(lightness < 128, `dark text on the light theme (${color})`);
    await assertNoWebviewErrors(light);
    await session.screenshot('compare-checkpoints-light');
    await closeEditors();
    await session.runCommand('Seq2Seq: Show Prediction Diffs');
    await pick('dates-b');
    await pick('Validation split, last checkpoint');
    const lightDiffs = await session.webviewFrame('body.vscode-light[data-ready="true"] #rows', 120_000);
    assert.match(await lightDiffs.locator('#summary').innerText(), /most frequent confusions/);
    assert.ok((await lightDiffs.locator('.row .col.sub, .row .col.del, .row .col.ins').count()) > 0);
    await assertNoWebviewErrors(lightDiffs);
    await session.screenshot('diffs-light');
  });

  it('"Run Ablation" (tiny) trains the 8 runs and opens their comparison', async function () {
    this.timeout(480_000);
    await closeEditors();
    const before = new Set(fs.readdirSync(runsDir));
    await session.runCommand('Seq2Seq: Run Ablation');
    await pick('Tiny (under a minute'); // one seed: 'Tiny, 3 seeds' (24 runs) matches 'Tiny' too
    const ablation = await waitFor(
      'the comparison of the ablation runs',
      async () => {
        for (const frame of page().frames()) {
          const runs = await frame.locator('body[data-ready="true"]').getAttribute('data-runs', { timeout: 500 }).catch(() => null);
          if (runs === '8') return frame;
        }
        return undefined;
      },
      420_000,
      2000,
    );
    const created = fs.readdirSync(runsDir).filter(name => !before.has(name));
    assert.equal(created.length, 8, created.join(', '));
    for (const name of created) {
      assert.match(name, /^ablation-/);
      assert.ok(fs.existsSync(path.join(runsDir, name, 'result.json')), `${name} finished`);
    }
    const differing = await ablation.locator('#hyperparameters tr.differs').evaluateAll(rows => rows.map(r => r.getAttribute('data-key')));
    assert.deepEqual([...differing].sort(), ['attention', 'bidirectional', 'cell', 'reverseSource']);
    assert.equal(await ablation.locator('#final-metrics tbody tr').count(), 8);
    await assertNoWebviewErrors(ablation);
    await session.screenshot('ablation-comparison');
  });
});

/**
 * The diffs webview alone in chromium (host stubbed, as panels.webview.e2e.ts does) with 10,000
 * samples: partial batches show under the progress bar; the final list renders only the rows in
 * view and stays responsive while scrolling to the end.
 */
describe('e2e: the diffs list with 10,000 samples (host stubbed)', function () {
  let server: http.Server;
  let browser: Browser;
  let origin: string;

  before(async function () {
    assert.ok(fs.existsSync(path.join(ROOT, 'dist', 'webview', 'diffs.js')), 'dist/webview/diffs.js missing: run npm run build');
    server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/favicon.ico') {
        res.writeHead(204).end();
        return;
      }
      if (url.pathname === '/diffs.html') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(shellHtml({ cspSource: origin, nonce: 'n1234567890', title: 'diffs', styles: [`${origin}/media/panels.css`, `${origin}/media/diffs.css`], script: `${origin}/dist/webview/diffs.js`, body: loadingBody('Predicting…') }));
        return;
      }
      const file = path.join(ROOT, path.normalize(url.pathname));
      const allowed = [path.join(ROOT, 'dist', 'webview'), path.join(ROOT, 'media')].some(dir => file.startsWith(dir + path.sep));
      if (!allowed || !fs.existsSync(file)) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': file.endsWith('.js') ? 'text/javascript' : 'text/css' });
      res.end(fs.readFileSync(file));
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', () => resolve()));
    origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  });

  after(async function () {
    await browser?.close();
    server?.close();
  });

  it('shows partial results while predicting, then renders a window of rows, scrolls to the last sample and sorts (times printed, not asserted: speed is for benchmarks)', async function () {
    this.timeout(120_000);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    page.on('pageerror', e => problems.push(String(e)));
    page.on('console', m => m.type() === 'error' && problems.push(m.text()));
    await page.addInitScript(`window.__sent = []; window.acquireVsCodeApi = () => ({ postMessage: m => window.__sent.push(m), getState: () => undefined, setState: () => {} });`);
    await page.goto(`${origin}/diffs.html`);
    await page.waitForFunction(() => (window as unknown as { __sent: Array<{ type: string }> }).__sent.some(m => m.type === 'ready'));
    const samples = Array.from({ length: 10_000 }, (_, i) => {
      const reference = `20${String(i % 100).padStart(2, '0')}-0${1 + (i % 9)}-1${i % 10}`;
      const prediction = i % 3 === 0 ? reference : `20${String((i * 7) % 100).padStart(2, '0')}-0${1 + (i % 9)}-1${(i + 1) % 10}`;
      return { index: i, source: `sample ${i}`, reference, referenceTokens: [...reference], prediction, predictionTokens: [...prediction], probabilities: [...prediction].map((_, j) => 0.5 + ((i + j) % 5) / 10) };
    });
    const set = { label: 'synthetic', runDir: '/runs/x', split: 'valid', checkpoint: 'best', step: 1, joiner: '', samples };
    // Partial data first: batches shown as they arrive, under the progress bar.
    const post = (message: object) => page.evaluate(m => window.postMessage(m, '*'), message);
    await post({ type: 'progress', label: 'run · best', done: 0, total: 10_000 });
    await page.locator('#predict-progress').waitFor();
    for (let i = 0; i < 3; i++) await post({ type: 'partial', label: 'run · best', samples: samples.slice(i * 1000, (i + 1) * 1000), done: (i + 1) * 1000, total: 10_000 });
    await page.locator('body[data-ready="partial"]').waitFor();
    await page.waitForFunction(() => document.body.dataset.samples === '3000');
    assert.match(await page.locator('#progress-label').innerText(), /3000 of 10000 samples predicted/);
    assert.ok((await page.locator('.row').count()) > 0, 'the partial list shows rows');
    assert.equal(await page.locator('#app').getAttribute('aria-busy'), 'true');
    const started = Date.now();
    await page.evaluate(m => window.postMessage(m, '*'), { type: 'predictions', a: set } as object);
    await page.locator('body[data-ready="true"]').waitFor();
    const renderMs = Date.now() - started;
    console.log(`      10,000 samples rendered in ${renderMs} ms`);
    assert.ok((await page.locator('.row').count()) < 40, 'only the visible rows are in the DOM');
    assert.equal(await page.locator('#predict-progress').count(), 0, 'the progress bar goes with the final list');
    assert.match(await page.locator('#summary').innerText(), /^10000 samples · exact match 33\.34 %/);
    await page.locator('#rows').focus();
    const endStarted = Date.now();
    await page.keyboard.press('End');
    await page.locator('.row[data-index="9999"]').waitFor({ timeout: 5000 });
    console.log(`      End reached the last sample in ${Date.now() - endStarted} ms`);
    assert.equal(await page.locator('#rows').getAttribute('aria-activedescendant'), 'row-9999');
    assert.ok((await page.locator('.row').count()) < 40);
    const sortStarted = Date.now();
    await page.getByLabel('Sort', { exact: true }).selectOption('bleu');
    await page.waitForFunction(() => document.querySelector('#rows')?.getAttribute('aria-activedescendant') === 'row-0');
    console.log(`      10,000 samples sorted in ${Date.now() - sortStarted} ms`);
    assert.deepEqual(problems, []);
    await page.close();
  });
});
