/**
 * The panels inside the real VS Code (code-server 1.139 + chromium), opened by the extension's
 * own commands with real data: the train form from "Seq2Seq: Train Model", the dashboard of the
 * run it starts (live engine events), and the attention view of a real translation
 * ("Seq2Seq: Translate Selection", then "Seq2Seq: Show Attention").
 *
 * These commands are contributed by the extension host side (src/extension/commands); the tests
 * fail, not skip, when they are missing. Run with `npm run test:e2e` (packages the .vsix first;
 * the .vsix must contain dist/webview, i.e. the full `npm run build`).
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Frame } from 'playwright-core';
import { CONFIG_FIELDS, PRESETS } from '../../src/shared/config';
import { EXTENSION_VSIX } from '../harness/paths';
import { useHarnessSession } from '../harness/mochaSession';
import { HarnessSession, waitFor } from '../harness/session';

/** A small, quick run of `dates` (a few seconds on the CPU backend) that still evaluates several times. */
const QUICK: Record<string, string> = {
  'Task size': '1500',
  Epochs: '2',
  'Hidden size': '32',
  'Embedding size': '16',
  'Evaluation samples': '50',
  'Evaluate every (steps)': '10',
  Patience: '0',
};

async function value(frame: Frame, selector: string): Promise<string> {
  return frame.locator(selector).evaluate(e => String((e as unknown as { value: unknown }).value));
}

async function assertNoWebviewErrors(frame: Frame): Promise<void> {
  const body = frame.locator('body');
  assert.equal(await body.getAttribute('data-csp-violations'), null, 'no CSP violations in the webview');
  assert.equal(await body.getAttribute('data-errors'), null, 'no errors reported by the webview');
}

describe('e2e: panels in VS Code', function () {
  let session: HarnessSession;

  useHarnessSession('panels', () => ({ extensions: [EXTENSION_VSIX] }), s => (session = s));


  let form: Frame;

  it('"Seq2Seq: Train Model" opens the form with every field, grouped, and the presets', async () => {
    await session.runCommand('Seq2Seq: Train Model');
    form = await session.webviewFrame('body[data-ready="true"] #field-hiddenSize', 60_000);
    assert.deepEqual(await form.locator('fieldset.group legend').allInnerTexts(), ['Data', 'Model', 'Training', 'Decoding', 'Sweep']);
    for (const spec of CONFIG_FIELDS) {
      const role = spec.type === 'bool' ? 'checkbox' : spec.type === 'enum' ? 'combobox' : 'textbox';
      assert.equal(await form.getByRole(role, { name: spec.label, exact: true }).count(), 1, `${spec.key}: a ${role} named "${spec.label}"`);
    }
    const presets = (await form.locator('#preset vscode-option').allInnerTexts()).map(t => t.trim());
    assert.deepEqual(presets, ['Custom', ...Object.values(PRESETS).map(p => p.label)]);
    // Built-in tasks come from the engine.
    const tasks = (await form.locator('#task vscode-option').allInnerTexts()).map(t => t.trim());
    assert.ok(tasks.some(t => t.startsWith('dates')), `the task list has dates (${tasks.join(', ')})`);
    // Themed from VS Code's variables (the default dark theme here).
    assert.match((await form.locator('body').getAttribute('class')) ?? '', /vscode-dark/);
    const fg = await form.locator('body').evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--vscode-foreground').trim());
    assert.ok(fg.length > 0, '--vscode-foreground is provided');
    await assertNoWebviewErrors(form);
    await session.screenshot('panel-form');
  });

  it('the form validates inline with the engine\'s rules', async () => {
    const hidden = form.getByRole('textbox', { name: 'Hidden size', exact: true });
    // 0 means auto now; above the schema's maximum is invalid.
    await hidden.fill('5000');
    assert.match(await form.locator('#error-hiddenSize').innerText(), /hiddenSize must be between 0 and 4096 \(got 5000\)/);
    assert.equal(await form.locator('#start').evaluate(e => (e as unknown as { disabled: boolean }).disabled), true);
    await session.screenshot('panel-form-invalid');
    await hidden.fill('64');
    assert.equal(await form.locator('#start').evaluate(e => (e as unknown as { disabled: boolean }).disabled), false);

  });

  it('Start trains `dates`; the dashboard draws every curve and the validation sample', async function () {
    this.timeout(600_000);
    // Built-in task dates, then a smaller run than the fast preset.
    await form.getByRole('radio', { name: 'Built-in task' }).click();
    await form.locator('#task').click();
    await form.locator('#task vscode-option', { hasText: /^\s*dates —/ }).first().click();
    assert.match(await value(form, '#task'), /^dates$/);
    for (const [label, text] of Object.entries(QUICK)) await form.getByRole('textbox', { name: label, exact: true }).fill(text);
    assert.equal(await form.locator('#summary').innerText(), 'Ready to train.');
    await form.getByRole('button', { name: 'Start training' }).click();

    const dashboard = await session.webviewFrame('#chart-loss', 120_000);
    await dashboard.locator('body[data-ready="true"]').waitFor({ timeout: 60_000 });
    await session.screenshot('panel-dashboard-live');
    const charts = ['loss', 'accuracy', 'bleu', 'learningRate', 'gradientNorm', 'tokensPerSecond'];
    await waitFor(
      'the run to finish with points on every curve',
      async () => {
        const counts = await Promise.all(charts.map(id => dashboard.locator(`#chart-${id}`).getAttribute('data-points')));
        const done = (await dashboard.locator('#run-progress').evaluate(e => (e as HTMLProgressElement).value)) >= 1;
        return done && counts.every(c => Number(c) > 0) ? true : undefined;
      },
      480_000,
      1000,
    );
    for (const id of charts) {
      const label = (await dashboard.locator(`#chart-${id}`).getAttribute('aria-label')) ?? '';
      assert.match(label, /at step \d+/, `${id}: ${label}`);
    }
    assert.ok((await dashboard.locator('#samples tbody tr').count()) >= 2, 'a validation sample row per evaluation');
    assert.match(await dashboard.locator('#samples tbody tr').first().innerText(), /\d{4}-\d{2}-\d{2}/, 'the reference date is shown');
    await assertNoWebviewErrors(dashboard);
    await session.screenshot('panel-dashboard');
  });

  it('Translate Selection, then Show Attention, shows the heatmap of a real translation', async function () {
    this.timeout(300_000);
    const page = session.page!;
    fs.writeFileSync(path.join(session.workspace, 'dates.txt'), 'march 3 2021\n');
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget .quick-input-box input').fill('dates.txt');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'dates.txt' }).first().click();
    const editor = page.locator('.editor-instance .monaco-editor .view-lines').first();
    await editor.waitFor({ timeout: 30_000 });
    await editor.click();
    await page.keyboard.press('Control+A');
    await session.runCommand('Seq2Seq: Translate Selection');

    await session.runCommand('Seq2Seq: Show Attention');
    const attention = await session.webviewFrame('body[data-ready="true"] #heatmap', 120_000);
    // The weights table is the heatmap's text alternative, under a disclosure.
    await attention.locator('#table-view summary').click();
    const sourceTokens = await attention.locator('#heatmap thead th.source-token').allInnerTexts();
    const outputTokens = await attention.locator('#heatmap tbody th.output-token').allInnerTexts();
    assert.ok(sourceTokens.length > 0, 'source tokens on the columns');
    assert.ok(outputTokens.length > 0, 'output tokens on the rows');
    assert.equal(sourceTokens.join('').replace(/␣/g, ' ').replace(/\s+/g, ''), 'march32021', `the source is "march 3 2021" (${sourceTokens.join('|')})`);
    assert.equal(await attention.locator('#heatmap td.cell').count(), sourceTokens.length * outputTokens.length);
    const probabilities = await attention.locator('#heatmap tbody td.prob').allInnerTexts();
    assert.equal(probabilities.length, outputTokens.length);
    for (const p of probabilities) assert.match(p, /^\d+(\.\d)? %$/);
    assert.equal(await attention.locator('#source-text').innerText(), 'march 3 2021');
    await assertNoWebviewErrors(attention);
    await session.screenshot('panel-attention');
  });
});

/**
 * Light and high-contrast themes: a session per theme (the theme picker of code-server searches
 * open-vsx, which this machine cannot reach, so the theme comes from the user settings).
 */
describe('e2e: panels follow the colour theme', function () {
  for (const [theme, cls] of [['Default Light Modern', 'vscode-light'], ['Default High Contrast', 'vscode-high-contrast']] as const) {
    it(`${theme}: the form's body class and colours come from the theme`, async function () {
      const session = await HarnessSession.start({ extensions: [EXTENSION_VSIX], settings: { 'workbench.colorTheme': theme } });
      let ok = false;
      try {
        await session.runCommand('Seq2Seq: Train Model');
        const form = await session.webviewFrame('body[data-ready="true"] #field-hiddenSize', 60_000);
        assert.match((await form.locator('body').getAttribute('class')) ?? '', new RegExp(`\\b${cls}\\b`));
        const [fg, bg, color] = await form.locator('h1').evaluate(e => [
          getComputedStyle(document.documentElement).getPropertyValue('--vscode-foreground').trim(),
          getComputedStyle(document.documentElement).getPropertyValue('--vscode-editor-background').trim(),
          getComputedStyle(e).color,
        ]);
        assert.ok(fg && bg, 'theme variables are set');
        const rgb = (color.match(/\d+/g) ?? []).slice(0, 3).map(Number);
        const lightness = rgb.reduce((a, b) => a + b, 0) / 3;
        if (cls === 'vscode-light') assert.ok(lightness < 128, `dark text on the light theme (${color})`);
        else assert.ok(lightness > 128, `light text on the high-contrast theme (${color})`);
        await assertNoWebviewErrors(form);
        await session.screenshot(`panel-form-${cls.replace('vscode-', '')}`);
        ok = true;
      } finally {
        await session.stop({ keep: !ok });
      }
    });
  }
});
