/**
 * The three panel webviews in headless chromium, outside VS Code: each page is the exact HTML
 * the host builds (src/extension/panels/shell.ts, same CSP and nonce rule) served from 127.0.0.1,
 * with the built bundles (dist/webview) and media, and a stub `acquireVsCodeApi` that records
 * what the webview posts. The test plays the host: it sends the protocol's messages and checks
 * what is rendered, what is posted back, and that nothing violates the CSP.
 *
 * Needs `node scripts/build.mjs --only=webview` (npm run build) and the harness's chromium.
 * The same panels inside the real VS Code are covered by panels.e2e.ts.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CONFIG_FIELDS, DEFAULT_CONFIG, PRESETS, checkField, fieldSpec } from '../../src/shared/config';
import type { ProgressEvent, Translation } from '../../src/shared/protocol';
import { loadingBody, shellHtml } from '../../src/extension/panels/shell';
import { CHROMIUM, ROOT, SCREENSHOTS } from '../harness/paths';

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };
const PAGES: Record<string, { script: string; styles: string[] }> = {
  form: { script: 'form', styles: ['panels.css', 'form.css'] },
  dashboard: { script: 'dashboard', styles: ['panels.css', 'dashboard.css'] },
  attention: { script: 'attention', styles: ['panels.css', 'attention.css'] },
};

const TASKS = [
  { name: 'dates', description: 'Human-readable dates to ISO 8601', defaultSize: 20000 },
  { name: 'reverse', description: 'Reverse a string', defaultSize: 10000 },
];

function serve(): Promise<{ server: http.Server; origin: string }> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    const page = /^\/(\w+)\.html$/.exec(url.pathname)?.[1];
    const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    if (page && PAGES[page]) {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(
        shellHtml({
          cspSource: origin,
          nonce: `n${Math.random().toString(36).slice(2)}`,
          title: page,
          styles: PAGES[page].styles.map(s => `${origin}/media/${s}`),
          script: `${origin}/dist/webview/${PAGES[page].script}.js`,
          body: loadingBody('Loading…'),
        }),
      );
      return;
    }
    const file = path.join(ROOT, path.normalize(url.pathname));
    const allowed = [path.join(ROOT, 'dist', 'webview'), path.join(ROOT, 'media')].some(dir => file.startsWith(dir + path.sep));
    if (!allowed || !fs.existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    res.end(fs.readFileSync(file));
  });
  return new Promise(resolve => server.listen(0, '127.0.0.1', () => resolve({ server, origin: `http://127.0.0.1:${(server.address() as { port: number }).port}` })));
}

interface Opened {
  page: Page;
  problems: string[];
  sent(): Promise<Array<{ type: string; [k: string]: unknown }>>;
  state(): Promise<unknown>;
  host(message: unknown): Promise<void>;
}

describe('e2e: panel webviews in chromium (host stubbed)', function () {
  let browser: Browser;
  let server: http.Server;
  let origin: string;

  before(async function () {
    for (const bundle of ['form', 'dashboard', 'attention']) {
      assert.ok(fs.existsSync(path.join(ROOT, 'dist', 'webview', `${bundle}.js`)), `dist/webview/${bundle}.js missing: run npm run build`);
    }
    ({ server, origin } = await serve());
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  });

  after(async function () {
    await browser?.close();
    server?.close();
  });

  async function open(name: string, savedState?: unknown): Promise<Opened> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    page.on('console', m => {
      if (m.type() === 'error' || /Refused|Content Security Policy/.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', e => problems.push(String(e)));
    // A string, not a function: tsx would wrap a function's inner closures in its `__name` helper.
    await page.addInitScript(`
      window.__sent = [];
      window.__state = ${JSON.stringify(savedState ?? null)} ?? undefined;
      window.acquireVsCodeApi = () => ({
        postMessage: m => window.__sent.push(JSON.parse(JSON.stringify(m))),
        getState: () => window.__state,
        setState: s => { window.__state = JSON.parse(JSON.stringify(s)); },
      });
    `);
    await page.goto(`${origin}/${name}.html`);
    const opened: Opened = {
      page,
      problems,
      sent: () => page.evaluate(() => (window as unknown as { __sent: Array<{ type: string }> }).__sent),
      state: () => page.evaluate(() => (window as unknown as { __state: unknown }).__state),
      host: message => page.evaluate(m => window.postMessage(m, '*'), message as object),
    };
    await page
      .waitForFunction(() => (window as unknown as { __sent: Array<{ type: string }> }).__sent.some(m => m.type === 'ready'), undefined, { timeout: 15_000 })
      .catch(e => {
        throw new Error(`${name}: the webview never said ready (${problems.join(' | ') || 'no console output'}): ${String(e)}`);
      });
    return opened;
  }

  function assertClean(opened: Opened): void {
    assert.deepEqual(opened.problems, [], 'no console errors or CSP violations');
  }

  async function shot(page: Page, name: string): Promise<void> {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: false });
  }

  describe('train form', () => {
    let form: Opened;

    before(async () => {
      form = await open('form');
      assert.match(await form.page.locator('#app').innerText(), /Loading/);
      await form.host({ type: 'init', tasks: TASKS, initial: {} });
      await form.page.locator('body[data-ready="true"]').waitFor();
    });

    after(() => form?.page.close());

    it('renders one labelled control per schema field, grouped, with help and range', async () => {
      const page = form.page;
      assert.deepEqual(await page.locator('fieldset.group legend').allInnerTexts(), ['Data', 'Model', 'Training', 'Decoding']);
      assert.equal(await page.locator('[data-field]').count(), CONFIG_FIELDS.length);
      for (const spec of CONFIG_FIELDS) {
        const role = spec.type === 'bool' ? 'checkbox' : spec.type === 'enum' ? 'combobox' : 'textbox';
        const control = page.getByRole(role, { name: spec.label, exact: true });
        assert.equal(await control.count(), 1, `${spec.key}: one ${role} named "${spec.label}"`);
        const help = await page.locator(`#help-${spec.key}`).innerText();
        assert.ok(help.startsWith(spec.help), `${spec.key} help`);
        if (spec.type === 'int' || spec.type === 'float') assert.ok(help.includes(`Range ${spec.min}–${spec.max}`), `${spec.key} range`);
      }
      // Defaults are filled in.
      assert.equal(await page.locator('#field-hiddenSize').evaluate(e => (e as unknown as { value: string }).value), String(DEFAULT_CONFIG.hiddenSize));
      assert.equal(await page.locator('#field-cell').evaluate(e => (e as unknown as { value: string }).value), DEFAULT_CONFIG.cell);
      assert.equal(await page.locator('#field-bidirectional').evaluate(e => (e as unknown as { checked: boolean }).checked), DEFAULT_CONFIG.bidirectional);
      await page.getByRole('button', { name: 'Start training' }).waitFor();
      await shot(page, 'panel-form-standalone');
      assertClean(form);
    });

    it('offers the presets and applies one', async () => {
      const page = form.page;
      const options = await page.locator('#preset vscode-option').allInnerTexts();
      assert.deepEqual(options.map(o => o.trim()), ['Custom', ...Object.values(PRESETS).map(p => p.label)]);
      assert.equal(await page.locator('#preset').evaluate(e => (e as unknown as { value: string }).value), 'demo', 'the defaults are the demo preset');
      await page.locator('#preset').click();
      await page.locator('#preset vscode-option', { hasText: PRESETS.britz.label }).click();
      assert.equal(await page.locator('#field-hiddenSize').evaluate(e => (e as unknown as { value: string }).value), '128');
      assert.equal(await page.locator('#field-residual').evaluate(e => (e as unknown as { value: string }).value), 'dense');
      assert.equal(await page.locator('#preset-description').innerText(), PRESETS.britz.description);
    });

    it('shows the engine\'s error inline and disables Start while invalid', async () => {
      const page = form.page;
      const start = page.locator('#start');
      assert.equal(await start.evaluate(e => (e as unknown as { disabled: boolean }).disabled), false);
      const hidden = page.getByRole('textbox', { name: 'Hidden size', exact: true });
      await hidden.fill('0');
      assert.equal(await page.locator('#error-hiddenSize').innerText(), checkField(fieldSpec('hiddenSize')!, 0));
      assert.equal(await start.evaluate(e => (e as unknown as { disabled: boolean }).disabled), true);
      assert.match(await page.locator('#summary').innerText(), /1 problem/);
      assert.equal(await page.locator('#preset').evaluate(e => (e as unknown as { value: string }).value), '', 'edited values are custom');
      // A cross-field rule from validateConfig.
      // Keyboard on the closed dropdown: Home selects its first option, "none".
      await page.getByRole('combobox', { name: 'Attention', exact: true }).focus();
      await page.keyboard.press('Home');
      assert.equal(await page.locator('#field-attention').evaluate(e => (e as unknown as { value: string }).value), 'none');
      await page.getByRole('checkbox', { name: 'Input feeding', exact: true }).click();
      assert.match(await page.locator('#error-inputFeeding').innerText(), /needs attention/);
      assert.match(await page.locator('#summary').innerText(), /2 problems/);
      await page.getByRole('checkbox', { name: 'Input feeding', exact: true }).click();
      await hidden.fill('48');
      assert.equal(await page.locator('#error-hiddenSize').innerText(), '');
      assert.equal(await start.evaluate(e => (e as unknown as { disabled: boolean }).disabled), false);
      await shot(page, 'panel-form-standalone-edited');
    });

    it('posts start with the task and the whole validated config', async () => {
      const page = form.page;
      await page.locator('#start').click();
      const start = (await form.sent()).filter(m => m.type === 'start').pop() as unknown as { config: Record<string, unknown>; task?: string; dataPath?: string };
      assert.ok(start, 'a start message');
      assert.equal(start.task, 'dates');
      assert.equal(start.dataPath, undefined);
      assert.equal(start.config.hiddenSize, 48);
      assert.equal(start.config.attention, 'none');
      assert.equal(start.config.residual, 'dense');
      assert.equal(Object.keys(start.config).length, CONFIG_FIELDS.length);
      assert.match(await page.locator('#summary').innerText(), /Starting/);
      await form.host({ type: 'startRejected', errors: [{ key: 'hiddenSize', message: 'hiddenSize refused by the host' }] });
      assert.equal(await page.locator('#error-hiddenSize').innerText(), 'hiddenSize refused by the host');
      await page.getByRole('textbox', { name: 'Hidden size', exact: true }).fill('64');
      await form.host({ type: 'started' });
      assert.match(await page.locator('#summary').innerText(), /Training started/);
    });

    it('chooses a data file through the host and starts with it', async () => {
      const page = form.page;
      await page.getByRole('button', { name: 'Choose file…' }).click();
      assert.equal((await form.sent()).filter(m => m.type === 'pickDataFile').length, 1);
      await form.host({ type: 'dataFile', path: '/workspace/pairs.tsv' });
      assert.equal(await page.locator('#data-path').innerText(), '/workspace/pairs.tsv');
      assert.equal(await page.locator('#source').evaluate(e => (e as unknown as { value: string }).value), 'file');
      await page.locator('#start').click();
      const start = (await form.sent()).filter(m => m.type === 'start').pop() as { task?: string; dataPath?: string };
      assert.deepEqual([start.task, start.dataPath], [undefined, '/workspace/pairs.tsv']);
      const state = (await form.state()) as { source: unknown };
      assert.deepEqual(state.source, { kind: 'file', path: '/workspace/pairs.tsv' }, 'edits survive in setState');
      await form.host({ type: 'started' });
      assert.equal(await page.locator('#start').evaluate(e => (e as unknown as { disabled: boolean }).disabled), false);
      assertClean(form);
    });

    it('is keyboard operable: Tab reaches the controls and Start', async () => {
      const page = form.page;
      const seen = new Set<string>();
      await page.locator('body').click({ position: { x: 2, y: 2 } });
      for (let i = 0; i < 120; i++) {
        await page.keyboard.press('Tab');
        const id = await page.evaluate(() => document.activeElement?.id ?? '');
        if (id) seen.add(id);
      }
      for (const id of ['preset', 'choose-file', 'field-hiddenSize', 'field-cell', 'field-bidirectional', 'start']) assert.ok(seen.has(id), `Tab reaches #${id}`);
    });

    it('restores its edits from saved state', async () => {
      const saved = await form.state();
      const again = await open('form', saved);
      await again.host({ type: 'init', tasks: TASKS, initial: {} });
      await again.page.locator('body[data-ready="true"]').waitFor();
      assert.equal(await again.page.locator('#field-hiddenSize').evaluate(e => (e as unknown as { value: string }).value), '64');
      assert.equal(await again.page.locator('#data-path').innerText(), '/workspace/pairs.tsv');
      assertClean(again);
      await again.page.close();
    });
  });

  describe('dashboard', () => {
    const sample = (step: number) => ({
      source: 'march 3 2021', sourceTokens: [...'march 3 2021'], output: step > 20 ? '2021-03-03' : '2021-03-0', tokens: [...(step > 20 ? '2021-03-03' : '2021-03-0')],
      probabilities: [...(step > 20 ? '2021-03-03' : '2021-03-0')].map(() => 0.9), attention: [], candidates: [], reference: '2021-03-03',
    });
    const history: ProgressEvent[] = [
      { kind: 'start', runDir: '/runs/dates-1', backend: 'cpu', config: { ...DEFAULT_CONFIG }, trainPairs: 900, validPairs: 50, testPairs: 50, stepsPerEpoch: 15, totalSteps: 30, startStep: 0 },
      ...Array.from({ length: 20 }, (_, i): ProgressEvent => ({
        kind: 'step', step: i + 1, epoch: i < 15 ? 0 : 1, loss: 3 / (i + 1), learningRate: 0.005, gradientNorm: 2 - i / 20, teacherForcing: 1, tokensPerSecond: 5000 + i * 10, etaSeconds: 30 - i, fractionDone: (i + 1) / 30,
      })),
      { kind: 'eval', step: 15, epoch: 0, best: true, metrics: { exactMatch: 0.4, tokenAccuracy: 0.8, bleu: 55, chrf: 70, perplexity: 1.8, loss: 0.6 }, sample: sample(15) },
      { kind: 'checkpoint', step: 15, epoch: 0, path: '/runs/dates-1/ckpt', best: true },
      { kind: 'log', level: 'warn', message: '3 pairs longer than maxSourceLength were left out' },
    ];

    it('shows a loading state, then every curve with points from the history', async () => {
      const dash = await open('dashboard');
      assert.match(await dash.page.locator('#app').innerText(), /Loading/);
      assert.equal(await dash.page.locator('#app').getAttribute('aria-busy'), 'true');
      await dash.host({ type: 'history', runDir: '/runs/dates-1', events: history });
      await dash.page.locator('body[data-ready="true"]').waitFor();
      const ids = ['loss', 'accuracy', 'bleu', 'learningRate', 'gradientNorm', 'tokensPerSecond'];
      for (const id of ids) {
        const points = Number(await dash.page.locator(`#chart-${id}`).getAttribute('data-points'));
        assert.ok(points > 0, `${id} has points`);
        assert.match((await dash.page.locator(`#chart-${id}`).getAttribute('aria-label'))!, /at step \d+/);
      }
      assert.equal(await dash.page.locator('#chart-loss').getAttribute('data-points'), '21', '20 train + 1 valid loss');
      // The canvas really has pixels drawn (chart.js rendered).
      const painted = await dash.page.locator('#chart-loss').evaluate(c => {
        const canvas = c as HTMLCanvasElement;
        const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        let n = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
        return n;
      });
      assert.ok(painted > 500, `the loss canvas is drawn (${painted} pixels)`);
      assert.match(await dash.page.locator('#run-status').innerText(), /Epoch 2, step 20 of 30/);
      assert.equal(await dash.page.locator('#samples tbody tr').count(), 1);
      assert.match(await dash.page.locator('#samples tbody tr').innerText(), /march 3 2021/);
      assert.match(await dash.page.locator('#run-log').innerText(), /left out/);
      assert.deepEqual(await dash.state(), { runDir: '/runs/dates-1' });

      // Incremental events.
      for (let s = 21; s <= 30; s++) {
        await dash.host({ type: 'event', event: { ...(history[1] as object), step: s, loss: 0.05, fractionDone: s / 30 } });
      }
      await dash.host({ type: 'event', event: { kind: 'eval', step: 30, epoch: 1, best: true, metrics: { exactMatch: 0.98, tokenAccuracy: 0.99, bleu: 97, chrf: 98, perplexity: 1.01, loss: 0.02 }, sample: sample(30) } });
      await dash.page.waitForFunction(() => document.querySelector('#chart-loss')?.getAttribute('data-points') === '32');
      assert.equal(await dash.page.locator('#samples tbody tr').count(), 2);
      assert.match(await dash.page.locator('#samples tbody tr').first().innerText(), /✓ yes/);
      assert.match(await dash.page.locator('#run-status').innerText(), /step 30 of 30/);
      await shot(dash.page, 'panel-dashboard-standalone');
      assertClean(dash);
      await dash.page.close();
    });

    it('draws thousands of steps (render time printed, not asserted)', async () => {
      const dash = await open('dashboard');
      const many: ProgressEvent[] = [history[0]];
      for (let s = 1; s <= 5000; s++) many.push({ ...(history[1] as object), step: s, loss: 3 / s } as ProgressEvent);
      const t = Date.now();
      await dash.host({ type: 'history', runDir: '/runs/long', events: many });
      await dash.page.locator('body[data-ready="true"]').waitFor();
      const ms = Date.now() - t;
      assert.equal(await dash.page.locator('#chart-loss').getAttribute('data-points'), '5000');
      console.log(`      5000 events rendered in ${ms} ms`);
      assertClean(dash);
      await dash.page.close();
    });
  });

  describe('attention', () => {
    const translation: Translation = {
      source: 'march 3 2021',
      sourceTokens: ['march', '3', '2021'],
      output: '2021 - 03',
      tokens: ['2021', '-', '03'],
      probabilities: [0.97, 0.88, 0.61],
      attention: [
        [0.05, 0.05, 0.9],
        [0.3, 0.4, 0.3],
        [0.8, 0.15, 0.05],
      ],
      candidates: [],
    };

    it('shows the heatmap with tokens on both axes and per-token probabilities', async () => {
      const att = await open('attention');
      await att.host({ type: 'translation', translation });
      await att.page.locator('body[data-ready="true"]').waitFor();
      const page = att.page;
      assert.deepEqual(await page.locator('#heatmap thead th.source-token').allInnerTexts(), ['march', '3', '2021']);
      assert.deepEqual(await page.locator('#heatmap tbody th.output-token').allInnerTexts(), ['2021', '-', '03']);
      assert.deepEqual(await page.locator('#heatmap tbody td.prob').allInnerTexts(), ['97 %', '88 %', '61 %']);
      assert.equal(await page.locator('#heatmap td.cell').count(), 9);
      assert.equal(await page.locator('td.cell.max[data-row="0"]').getAttribute('data-col'), '2');
      // Darker for more attention: the 0.9 cell is painted, the 0.05 cell barely.
      const alpha = (row: number, col: number) =>
        page.locator(`td.cell[data-row="${row}"][data-col="${col}"]`).evaluate(e => getComputedStyle(e).backgroundColor);
      assert.notEqual(await alpha(0, 2), await alpha(0, 0));
      // Keyboard: one tab stop, arrows move, the focused cell is described.
      await page.locator('td.cell[data-row="0"][data-col="0"]').focus();
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowDown');
      assert.equal(await page.evaluate(() => (document.activeElement as HTMLElement).dataset.col + ',' + (document.activeElement as HTMLElement).dataset.row), '1,1');
      assert.match(await page.locator('#cell-detail').innerText(), /- ← 3: 0\.4/);
      assert.deepEqual(await att.state(), { translation });
      await shot(page, 'panel-attention-standalone');
      assertClean(att);
      await page.close();
    });

    it('says so when the model has no attention', async () => {
      const att = await open('attention');
      await att.host({ type: 'translation', translation: { ...translation, attention: [[], [], []] } });
      await att.page.locator('#no-attention').waitFor();
      assert.equal(await att.page.locator('#heatmap td.cell').count(), 0);
      assert.deepEqual(await att.page.locator('#heatmap tbody td.prob').allInnerTexts(), ['97 %', '88 %', '61 %']);
      assertClean(att);
      await att.page.close();
    });
  });
});
