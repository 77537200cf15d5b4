/**
 * The attention view and the beam candidates in the real VS Code (code-server + chromium), with
 * real data from a real small run of `dates` trained through the workbench:
 * - live mode: the view, opened before training starts, receives the validation sample's map at
 *   every evaluation; its slider reaches at least two evaluations with different maps;
 * - Translate Selection: source tokens on the x axis, output tokens on the y axis, candidate
 *   scores; clicking a row highlights its source tokens in the editor;
 * - beam candidates and what-if: another candidate's attention, a corrected token and the
 *   decoder's continuation;
 * - the light theme (a second session on the same runs directory): typed text, the run's
 *   validation history from disk, colours from the theme.
 * Screenshots go to test/e2e/screenshots (attention-*.png); the best are docs/images/attention.png,
 * attention-live.png and beam.png.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Frame } from 'playwright-core';
import { EXTENSION_VSIX } from '../harness/paths';
import { useHarnessSession } from '../harness/mochaSession';
import { openDatesFile as openDatesFileIn, shot } from './workflowHelpers';
import { HarnessSession, waitFor } from '../harness/session';

/**
 * A small run of the default model: well under a minute on two cores, long enough for attention
 * to sharpen visibly; it evaluates every 25 steps (about 8 evaluations) and decodes with beam width 3.
 */
const SMALL: Record<string, string> = {
  'Task size': '2000',
  Epochs: '4',
  'Batch size': '32',
  'Evaluation samples': '20',
  'Evaluate every (steps)': '25',
  Patience: '0',
  'Beam width': '3',
};

const labels = async (frame: Frame, axis: 'x' | 'y'): Promise<string[]> =>
  JSON.parse((await frame.locator('#attention-chart').getAttribute(`data-${axis}-labels`)) ?? '[]');
const signature = (frame: Frame) => frame.locator('#attention-chart').getAttribute('data-signature');

async function assertNoWebviewErrors(frame: Frame): Promise<void> {
  const body = frame.locator('body');
  assert.equal(await body.getAttribute('data-csp-violations'), null, 'no CSP violations in the webview');
  assert.equal(await body.getAttribute('data-errors'), null, 'no errors reported by the webview');
}


/** The runs directory of the dark-theme session, reused (from disk) by the light-theme one. */
let sharedRunsDir: string | undefined;

describe('e2e: attention view and beam candidates (dark theme)', function () {
  this.timeout(300_000);
  let session: HarnessSession;
  let runsDir: string;
  let attention: Frame;

  useHarnessSession(
    'attention',
    () => ({ extensions: [EXTENSION_VSIX], settings: { 'seq2seqLab.runsDirectory': runsDir } }),
    s => (session = s),
    {
      prepare: () => {
        runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'seq2seq-e2e-attention-'));
        sharedRunsDir = runsDir;
      },
    },
  );


  const page = () => session.page!;
  /** The attention webview's frame (looked up again: a webview that was hidden is a new frame). */
  const frame = () => session.webviewFrame('body[data-ready="true"] #sample-select', 30_000);

  const openDatesFile = () => openDatesFileIn(page());

  it('live mode: opened before training, the map of the validation sample arrives at every evaluation; the slider scrubs back', async () => {
    // An editor first, so the attention view opens beside it (its own group, visible throughout).
    await openDatesFile();
    await session.runCommand('Seq2Seq: Show Attention');
    attention = await frame();
    assert.equal(await attention.locator('body').getAttribute('data-evaluations'), null, 'no evaluation yet');

    await session.runCommand('Seq2Seq: Train Model');
    const form = await session.webviewFrame('body[data-ready="true"] #field-hiddenSize', 60_000);
    await form.getByRole('radio', { name: 'Built-in task' }).click();
    await form.locator('#task').click();
    await form.locator('#task vscode-option', { hasText: /^\s*dates —/ }).first().click();
    for (const [label, text] of Object.entries(SMALL)) await form.getByRole('textbox', { name: label, exact: true }).fill(text);
    assert.equal(await form.locator('#summary').innerText(), 'Ready to train.');
    await form.getByRole('button', { name: 'Start training' }).click();

    // Evaluations arrive while the run trains (the view was open before it started).
    attention = await waitFor(
      'two evaluations in the attention view',
      async () => {
        const f = await frame();
        return Number(await f.locator('body').getAttribute('data-evaluations')) >= 2 ? f : undefined;
      },
      180_000,
      500,
    );
    assert.equal(await attention.locator('#sample-select').inputValue(), 'live');
    assert.match(await attention.locator('#sample-select option[value="live"]').innerText(), /Validation sample — dates-\S+/);
    const sourceText = await attention.locator('#source-text').innerText();
    assert.ok(sourceText.length > 0, 'the validation sample has a source');
    assert.ok((await labels(attention, 'x')).length > 0, 'source tokens on the x axis');
    // Still training: the slider already holds two evaluations of the sample with different maps.
    const during = attention.locator('#eval-slider');
    await during.focus();
    await during.press('Home');
    const firstDuring = { label: await attention.locator('#eval-label').innerText(), map: await signature(attention) };
    await during.press('ArrowRight');
    const secondDuring = { label: await attention.locator('#eval-label').innerText(), map: await signature(attention) };
    assert.match(firstDuring.label, /^step \d+ \(evaluation 1 of \d+\)/);
    assert.match(secondDuring.label, /^step \d+ \(evaluation [2-9]\d* of \d+\)/);
    assert.notEqual(firstDuring.map, secondDuring.map, `two evaluations, two maps (${firstDuring.label} / ${secondDuring.label})`);
    const stillTraining = await page().locator('.part.statusbar .statusbar-item', { hasText: /epoch \d+/ }).count();
    console.log(`      scrubbed ${firstDuring.label} → ${secondDuring.label} while training (status bar item: ${stillTraining > 0 ? 'training' : 'gone'})`);
    await shot(session, 'attention-live-dark');

    // Let the run finish (more evaluations), then scrub: first and last evaluation differ.
    await session.notification(/Training dates-.* completed/, 240_000);
    attention = await frame();
    const count = Number(await attention.locator('body').getAttribute('data-evaluations'));
    assert.ok(count >= 2, `${count} evaluations`);
    const slider = attention.locator('#eval-slider');
    await slider.focus();
    await slider.press('Home');
    const first = { label: await attention.locator('#eval-label').innerText(), map: await signature(attention), source: await attention.locator('#source-text').innerText() };
    await slider.press('End');
    const last = { label: await attention.locator('#eval-label').innerText(), map: await signature(attention), source: await attention.locator('#source-text').innerText() };
    assert.match(first.label, /evaluation 1 of \d+/);
    assert.match(last.label, new RegExp(`evaluation ${count} of ${count}`));
    assert.equal(first.source, last.source, 'the same validation sample');
    assert.notEqual(first.map, last.map, 'its attention changed between the first and the last evaluation');
    await assertNoWebviewErrors(attention);
    await shot(session, 'attention-live-dark-scrubbed', 'attention-live');
  });

  it('Translate Selection: tokens on both axes, candidate scores; a row click highlights its source tokens in the editor', async () => {
    await openDatesFile();
    await page().keyboard.press('Control+Home');
    await page().keyboard.press('Shift+End');
    await session.runCommand('Seq2Seq: Translate Selection');
    const title = page().locator('.quick-input-widget .quick-input-title');
    await waitFor('the translation quick pick', async () => /Translation/.test(await title.innerText().catch(() => '')) || undefined, 60_000);
    await page().keyboard.press('Escape');

    attention = await frame();
    await waitFor('the translation in the attention view', async () => (await attention.locator('#sample-select').inputValue()).startsWith('item:') || undefined, 30_000);
    assert.equal(await attention.locator('#source-text').innerText(), 'march 3 2021');
    const x = await labels(attention, 'x');
    assert.equal(x.join('').replace(/␣/g, ''), 'march32021', `source characters on the x axis (${x.join('|')})`);
    const y = await labels(attention, 'y');
    const output = await attention.locator('#output-text').innerText();
    assert.equal(y.join('').replace(/␣/g, ' '), output, `output characters on the y axis (${y.join('|')})`);
    // Beam width 3: the n-best list with scores.
    const scores = await attention.locator('#candidates td.score').allInnerTexts();
    assert.ok(scores.length >= 2, `${scores.length} candidates`);
    for (const s of scores) assert.match(s, /^-?\d+\.\d{3}$/);
    assert.match(await attention.locator('#candidates td.log-p').first().innerText(), /^-?\d+\.\d{3}$/);

    // Click the first output row (a cell of it): the editor decorates the attended source tokens.
    const canvas = attention.locator('#attention-chart');
    const [left, top, right, bottom] = ((await canvas.getAttribute('data-area')) ?? '').split(',').map(Number);
    const rows = Number(await canvas.getAttribute('data-rows'));
    await canvas.click({ position: { x: (left + right) / 2, y: top + (bottom - top) / rows / 2 } });
    assert.match(await attention.locator('#cell-detail').innerText(), /Row 1: .* highlighted in the editor/);
    await waitFor(
      'highlighted source tokens in the editor',
      async () => ((await page().locator('.editor-instance .monaco-editor .view-overlays [class*="ced-"]').count()) > 0 ? true : undefined),
      15_000,
    );
    await assertNoWebviewErrors(attention);
    await shot(session, 'attention-dark', 'attention');
  });

  it('beam candidates and what-if: another candidate\'s attention; a corrected token and the decoder\'s continuation', async () => {
    attention = await frame();
    const before = await signature(attention);
    await attention.getByRole('button', { name: 'Show the attention of candidate 2' }).click();
    assert.equal(await attention.locator('#candidate-select').inputValue(), '1');
    const candidateOutput = (await attention.locator('#candidates td.candidate-output').nth(1).innerText()).trim();
    assert.equal(await attention.locator('#output-text').innerText(), candidateOutput);
    assert.notEqual(await signature(attention), before, 'candidate 2 has its own attention');
    // The n-best list with the candidate's map above it (and no toast over them).
    await session.runCommand('Notifications: Clear All Notifications').catch(() => undefined);
    attention = await frame();
    await attention.locator('#beam-section').evaluate(e => {
      e.scrollIntoView({ block: 'end' });
      e.querySelector('.table-scroll')?.scrollTo({ left: 0 });
    });
    await shot(session, 'attention-beam-dark', 'beam');
    await attention.getByRole('button', { name: 'Show the attention of candidate 1' }).click();

    // What-if: replace the last digit of the year (output position 3) with another digit.
    const tokens = await attention.locator('#whatif-tokens .token-button').allInnerTexts();
    const position = Math.min(3, tokens.length - 1);
    const replacement = tokens[position] === '9' ? '8' : '9';
    await attention.locator(`#whatif-tokens .token-button[data-position="${position}"]`).click();
    await attention.locator('#whatif-token').fill(replacement);
    await attention.getByRole('button', { name: 'Decode from here' }).click();
    await attention.locator('#whatif-compare').waitFor({ timeout: 60_000 });
    assert.match(await attention.locator('#sample-select option:checked').innerText(), /^What-if:/);
    const after = await attention.locator('#compare-after .token-chip').allInnerTexts();
    assert.deepEqual(after.slice(0, position), tokens.slice(0, position), 'the tokens before the correction are kept');
    assert.equal(after[position], replacement, 'the forced token comes out as given');
    assert.equal(await attention.locator('#compare-after .token-chip[data-kind="forced"]').count(), 1);
    assert.match(await attention.locator('#whatif-summary').innerText(), /later tokens? changed; the attention .* moved by \d\.\d{3}/);
    assert.equal(await attention.locator('body').getAttribute('data-busy'), 'false');
    assert.equal((await labels(attention, 'y'))[position], replacement, 'the new map has the forced token on its row');
    await assertNoWebviewErrors(attention);
    await attention.locator('#whatif-section').evaluate(e => e.scrollIntoView({ block: 'start' }));
    await shot(session, 'attention-whatif-dark');
  });
});

describe('e2e: attention view (light and high-contrast themes, the same run from disk)', function () {
  this.timeout(300_000);
  after(() => {
    if (sharedRunsDir) fs.rmSync(sharedRunsDir, { recursive: true, force: true });
  });

  it('typed text with beam width 4, the run\'s validation history from metrics.jsonl, theme colours', async function () {
    const runsDir = sharedRunsDir;
    if (!runsDir || !fs.readdirSync(runsDir).length) this.skip();
    const session = await HarnessSession.start({ extensions: [EXTENSION_VSIX], settings: { 'workbench.colorTheme': 'Default Light Modern', 'seq2seqLab.runsDirectory': runsDir } });
    let ok = false;
    try {
      await session.runCommand('Seq2Seq: Show Attention');
      const frame = await session.webviewFrame('body[data-ready="true"] #sample-select', 60_000);
      assert.match((await frame.locator('body').getAttribute('class')) ?? '', /vscode-light/);
      // The selected model's validation sample, rebuilt from its metrics.jsonl.
      await waitFor('the run history', async () => Number(await frame.locator('body').getAttribute('data-evaluations')) >= 2 || undefined, 60_000);
      await frame.locator('#eval-slider').press('Home');
      const first = await signature(frame);
      await frame.locator('#eval-slider').press('End');
      assert.notEqual(await signature(frame), first, 'two evaluations with different maps');
      assert.ok((await labels(frame, 'x')).length > 0);

      await frame.locator('#typed-text').fill('january 15 1999');
      await frame.locator('#beam-size').fill('4');
      await frame.getByRole('button', { name: 'Translate' }).click();
      await waitFor('the typed translation', async () => /^Typed:/.test(await frame.locator('#sample-select option:checked').innerText().catch(() => '')) || undefined, 60_000);
      assert.equal((await labels(frame, 'x')).join('').replace(/␣/g, ''), 'january151999');
      assert.equal((await frame.locator('#candidates td.score').allInnerTexts()).length, 4, 'the 4-best list');
      // Theme colours: the map's background is the editor's (light), its text dark.
      const [background, text] = await frame.locator('#attention-chart').evaluate(canvas => {
        const c = canvas as HTMLCanvasElement;
        const pixel = Array.from(c.getContext('2d')!.getImageData(2, 2, 1, 1).data).slice(0, 3);
        return [pixel, getComputedStyle(document.body).color];
      });
      assert.ok((background as number[]).every(v => v > 200), `light background (${background})`);
      const rgb = ((text as string).match(/\d+/g) ?? []).slice(0, 3).map(Number);
      assert.ok(rgb.reduce((a, b) => a + b, 0) / 3 < 128, `dark text (${text})`);
      // Export: the save dialog (code-server's simple dialog, prefilled in the workspace), then the file.
      for (const [button, file, check] of [
        ['Export JSON', 'attention-january-15-1999.json', (bytes: Buffer) => assert.deepEqual(JSON.parse(bytes.toString('utf8')).sourceTokens.join('').replace(/ /g, ''), 'january151999')],
        ['Export PNG', 'attention-january-15-1999.png', (bytes: Buffer) => assert.deepEqual([...bytes.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47])],
      ] as const) {
        await frame.getByRole('button', { name: button }).click();
        const input = session.page!.locator('.quick-input-widget .quick-input-box input');
        await input.waitFor({ state: 'visible', timeout: 15_000 });
        await waitFor('the file name in the save dialog', async () => (await input.inputValue()).endsWith(file) || undefined, 10_000);
        await session.page!.keyboard.press('Enter');
        const target = path.join(session.workspace, file);
        await waitFor(`${file} on disk`, async () => fs.existsSync(target) || undefined, 15_000);
        check(fs.readFileSync(target));
        await waitFor('the saved message', async () => (await frame.locator('#cell-detail').innerText()).includes(`Saved ${target}`) || undefined, 10_000);
      }
      assert.deepEqual(fs.readdirSync(session.workspace).filter(name => name.endsWith('.tmp')), [], 'no temporary file left');
      await assertNoWebviewErrors(frame);
      await session.screenshot('attention-light');
      ok = true;
    } finally {
      await session.stop({ keep: !ok });
    }
  });

  it('high contrast: the map is drawn on the theme\'s black with its contrast colours', async function () {
    const runsDir = sharedRunsDir;
    if (!runsDir || !fs.readdirSync(runsDir).length) this.skip();
    const session = await HarnessSession.start({ extensions: [EXTENSION_VSIX], settings: { 'workbench.colorTheme': 'Default High Contrast', 'seq2seqLab.runsDirectory': runsDir } });
    let ok = false;
    try {
      await session.runCommand('Seq2Seq: Show Attention');
      const frame = await session.webviewFrame('body[data-ready="true"] #sample-select', 60_000);
      assert.match((await frame.locator('body').getAttribute('class')) ?? '', /vscode-high-contrast/);
      await waitFor('the run history', async () => Number(await frame.locator('body').getAttribute('data-evaluations')) >= 1 || undefined, 60_000);
      assert.ok((await labels(frame, 'y')).length > 0, 'output tokens on the y axis');
      const background = await frame.locator('#attention-chart').evaluate(canvas => Array.from((canvas as HTMLCanvasElement).getContext('2d')!.getImageData(2, 2, 1, 1).data).slice(0, 3));
      assert.ok(background.every(v => v < 40), `dark background (${background})`);
      await assertNoWebviewErrors(frame);
      await session.screenshot('attention-high-contrast');
      ok = true;
    } finally {
      await session.stop({ keep: !ok });
    }
  });
});

