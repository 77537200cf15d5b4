/**
 * The three panel webviews in headless chromium, outside VS Code: each page is the exact HTML
 * the host builds (src/shared/webviewShell.ts, same CSP and nonce rule) served from 127.0.0.1,
 * with the built bundles (dist/webview) and media, and a stub `acquireVsCodeApi` that records
 * what the webview posts. The test plays the host: it sends the protocol's messages and checks
 * what is rendered, what is posted back, and that nothing violates the CSP.
 *
 * Needs `node scripts/build.mjs --only=webview` (npm run build) and the harness's chromium.
 * The same panels inside the real VS Code are covered by panels.e2e.ts.
 *
 * Why one long file: the three panels share one HTTP server, one chromium and the stubbed host
 * set up once in `before`; split into three files, each would start its own browser (the
 * slowest part), and the describe blocks below already keep the panels apart.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CONFIG_FIELDS, DEFAULT_CONFIG, PRESETS, checkField, fieldSpec } from '../../src/shared/config';
import type { ProgressEvent, RunDecisions, Translation } from '../../src/shared/protocol';
import { loadingBody, shellHtml } from '../../src/shared/webviewShell';
import { parseAttentionMessage } from '../../src/shared/attentionProtocol';
import { CHROMIUM, ROOT, SCREENSHOTS } from '../harness/paths';
import { waitFor } from '../harness/session';
import { sampleCard } from '../unit/webview/dataCardFixture';

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };
const PAGES: Record<string, { script: string; styles: string[] }> = {
  form: { script: 'form', styles: ['panels.css', 'form.css'] },
  dashboard: { script: 'dashboard', styles: ['panels.css', 'dashboard.css'] },
  attention: { script: 'attention', styles: ['panels.css', 'attention.css'] },
};

/** The bundle the host sends when VS Code's display language is zh-CN (`vscode.l10n.bundle`). */
const ZH_CN = JSON.parse(fs.readFileSync(path.join(ROOT, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;

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
      // Resolves once the page has handled the message: a listener added now runs after the app's
      // own. A string, not a function, for the same tsx reason as the init script above.
      host: message =>
        page.evaluate(
          `new Promise(resolve => { window.addEventListener('message', () => resolve(), { once: true }); window.postMessage(${JSON.stringify(message)}, '*'); })`,
        ),
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
      assert.deepEqual(await page.locator('fieldset.group legend').allInnerTexts(), ['Data', 'Model', 'Training', 'Decoding', 'Sweep']);
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
      await hidden.fill('-1');
      assert.equal(await page.locator('#error-hiddenSize').innerText(), checkField(fieldSpec('hiddenSize')!, -1));
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

    it('asks for the chosen file\'s dataset card and shows it; a stale answer is ignored', async () => {
      const page = form.page;
      const inspects = async () => (await form.sent()).filter(m => m.type === 'inspect') as unknown as Array<{ requestId: number; dataPath?: string; config: Record<string, unknown> }>;
      const before = (await inspects()).length;
      await form.host({ type: 'dataFile', path: '/workspace/other.tsv' });
      const asked = (await inspects()).slice(before);
      assert.equal(asked.length, 1, 'a chosen file is inspected at once');
      assert.equal(asked[0].dataPath, '/workspace/other.tsv');
      assert.equal(asked[0].config.hiddenSize, undefined, 'only the data settings go with it');
      assert.equal(await page.locator('#data-card').getAttribute('data-state'), 'loading');
      await form.host({ type: 'dataCard', requestId: asked[0].requestId - 1, card: sampleCard() });
      assert.equal(await page.locator('#data-card').getAttribute('data-state'), 'loading', 'an older answer is ignored');
      await form.host({ type: 'dataCard', requestId: asked[0].requestId, card: sampleCard() });
      assert.equal(await page.locator('#data-card').getAttribute('data-state'), 'ready');
      assert.deepEqual(await page.locator('#data-card .data-warning').allInnerTexts(), sampleCard().warnings.map(w => w.message));
      assert.match(await page.locator('#data-card table.data-sides').innerText(), /Tokenizer\s+char \(auto\)\s+subword \(auto, 2,000 pieces\)/);
      await page.getByRole('textbox', { name: 'Max source length', exact: true }).fill('30');
      await waitFor('a debounced re-inspect', async () => ((await inspects()).length > before + 1 ? true : undefined), 5_000);
      const latest = (await inspects()).pop()!;
      assert.equal(latest.config.maxSourceLength, 30);
      await form.host({ type: 'dataCardFailed', requestId: latest.requestId, message: 'no usable pairs' });
      assert.equal(await page.locator('#data-card-status').innerText(), 'The data could not be read: no usable pairs');
      await page.getByRole('radio', { name: 'Built-in task' }).click();
      assert.equal(await page.locator('#data-card').isHidden(), true, 'no card for a built-in task');
      // Leave the form as the next test expects it (its saved state holds the earlier file).
      await form.host({ type: 'dataFile', path: '/workspace/pairs.tsv' });
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

    it('disables the settings the chosen shape does not use, with a tooltip saying why; auto follows the task\'s shape', async () => {
      const shaped = await open('form');
      await shaped.host({ type: 'init', tasks: [{ name: 'sentiment', description: 'Sentiment of a sentence', defaultSize: 1000, shape: 'classify' }, ...TASKS], initial: {} });
      const page = shaped.page;
      await page.locator('body[data-ready="true"]').waitFor();
      const disabled = (key: string) => page.locator(`#field-${key}`).evaluate(e => (e as unknown as { disabled: boolean }).disabled);
      // shape auto on the classify task: no decoder, so its settings are off.
      for (const key of ['attention', 'beamSize', 'decoderLayers', 'teacherForcing']) assert.equal(await disabled(key), true, `${key} off for classify`);
      for (const key of ['hiddenSize', 'cell', 'classifyPooling', 'shape']) assert.equal(await disabled(key), false, `${key} on for classify`);
      const why = 'Not used by the classify shape: it has no decoder (the pooled encoder states give one label).';
      assert.equal(await page.locator('[data-field="attention"]').getAttribute('title'), why);
      assert.equal(await page.locator('#unused-attention').innerText(), why);
      assert.match((await page.locator('#field-attention').getAttribute('aria-describedby')) ?? '', /\bunused-attention\b/);
      // An explicit seq2seq turns them back on (and pooling off).
      await page.locator('#field-shape').click();
      await page.locator('#field-shape vscode-option', { hasText: /^\s*seq2seq\s*$/ }).click();
      for (const key of ['attention', 'beamSize', 'decoderLayers']) assert.equal(await disabled(key), false, `${key} on for seq2seq`);
      assert.equal(await disabled('classifyPooling'), true);
      assert.equal(await page.locator('#unused-attention').isHidden(), true);
      await page.locator('#field-shape').click();
      await page.locator('#field-shape vscode-option', { hasText: /^\s*tag\s*$/ }).click();
      assert.equal(await disabled('attention'), true);
      assert.equal(await disabled('targetTokenizer'), true, 'tags are split at spaces');
      assert.equal(await page.locator('#summary').innerText(), 'Ready to train.');
      // auto on a file: what its dataset card decided.
      await page.locator('#field-shape').click();
      await page.locator('#field-shape vscode-option', { hasText: /^\s*auto\s*$/ }).click();
      await shaped.host({ type: 'dataFile', path: '/workspace/reviews.tsv' });
      assert.equal(await disabled('attention'), false, 'nothing is known before the card');
      const inspect = await waitFor('the form to inspect the file', async () => (await shaped.sent()).filter(m => m.type === 'inspect').pop() as unknown as { requestId: number } | undefined, 5_000)
        .catch(async e => assert.fail(`${(e as Error).message}: sent ${(await shaped.sent()).map(m => m.type).join(', ')}; source ${await page.locator('#data-path').innerText()}`));
      await shaped.host({ type: 'dataCard', requestId: inspect.requestId, card: { ...sampleCard(), shape: { shape: 'classify', auto: true, reason: 'one label per line' } } });
      assert.equal(await disabled('attention'), true, 'the card decided classify');
      await shot(page, 'panel-form-shape');
      assertClean(shaped);
      await page.close();
    });

    it('speaks zh-CN with the bundle the host sends in init: labels, help, presets, errors', async () => {
      const zh = await open('form');
      await zh.host({ type: 'init', tasks: TASKS, initial: {}, l10n: ZH_CN });
      await zh.page.locator('body[data-ready="true"]').waitFor();
      const page = zh.page;
      assert.equal(await page.locator('h1').innerText(), '训练一个模型');
      assert.deepEqual(await page.locator('fieldset.group legend').allInnerTexts(), ['数据', '模型', '训练', '解码', '扫描']);
      const hidden = page.getByRole('textbox', { name: '隐藏层大小', exact: true });
      assert.equal(await hidden.count(), 1, 'the hidden size field has its Chinese name');
      assert.equal(await page.locator('#help-hiddenSize').innerText(), '每层的单元数（双向时为每个方向的单元数）；0 = 自动（按语料规模）。范围 0–4096。');
      for (const spec of CONFIG_FIELDS) {
        const role = spec.type === 'bool' ? 'checkbox' : spec.type === 'enum' ? 'combobox' : 'textbox';
        assert.equal(await page.getByRole(role, { name: ZH_CN[spec.label], exact: true }).count(), 1, `${spec.key}: one ${role} named "${ZH_CN[spec.label]}"`);
        assert.ok((await page.locator(`#help-${spec.key}`).innerText()).startsWith(ZH_CN[spec.help]), `${spec.key} help`);
      }
      const presets = await page.locator('#preset vscode-option').allInnerTexts();
      assert.deepEqual(presets.map(o => o.trim()), ['自定义', '快速演示', '种子论文的推荐（Britz 等，2017）']);
      assert.equal(await page.locator('#preset-description').innerText(), ZH_CN[PRESETS.demo.description]);
      await page.getByRole('button', { name: '开始训练' }).waitFor();
      assert.equal(await page.locator('#summary').innerText(), '可以开始训练。');
      // The engine's validation, in Chinese.
      await hidden.fill('-1');
      assert.equal(await page.locator('#error-hiddenSize').innerText(), 'hiddenSize 必须在 0 到 4096 之间（当前为 -1）');
      assert.equal(await page.locator('#summary').innerText(), '训练前还有 1 个问题需要修正。');
      await page.getByRole('radio', { name: '文件' }).click();
      assert.equal(await page.locator('#data-path').innerText(), '未选择文件');
      assert.equal(await page.locator('#dataset-error').innerText(), '请选择一个数据文件（TSV 或 JSONL）。');
      const text = await page.locator('#app').innerText();
      assert.doesNotMatch(text, /\b(Range|Preset|Dataset|Custom|Start training|Training data|Built-in task|Choose file|problems? to fix)\b/, 'no English left in the form\'s own words');
      await shot(page, 'panel-form-zh-cn');
      assertClean(zh);
      await page.close();
    });
  });

  describe('dashboard', () => {
    const sample = (step: number) => ({
      source: 'march 3 2021', sourceTokens: [...'march 3 2021'], output: step > 20 ? '2021-03-03' : '2021-03-0', tokens: [...(step > 20 ? '2021-03-03' : '2021-03-0')],
      probabilities: [...(step > 20 ? '2021-03-03' : '2021-03-0')].map(() => 0.9), attention: [], candidates: [], reference: '2021-03-03',
    });
    const card = sampleCard();
    const decisions: RunDecisions = {
      settings: [{ key: 'batchSize', value: 16, reason: 'fewer than 2,000 training pairs' }],
      sourceTokenizer: card.sourceSide.decision,
      targetTokenizer: card.targetSide.decision,
    };
    const history: ProgressEvent[] = [
      { kind: 'start', runDir: '/runs/dates-1', backend: 'cpu', config: { ...DEFAULT_CONFIG, hiddenSize: 64 }, trainPairs: 900, validPairs: 50, testPairs: 50, stepsPerEpoch: 15, totalSteps: 30, startStep: 0, decisions },
      ...Array.from({ length: 20 }, (_, i): ProgressEvent => ({
        kind: 'step', step: i + 1, epoch: i < 15 ? 0 : 1, loss: 3 / (i + 1), learningRate: 0.005, gradientNorm: 2 - i / 20, teacherForcing: 1, tokensPerSecond: 5000 + i * 10, etaSeconds: 30 - i, fractionDone: (i + 1) / 30,
      })),
      { kind: 'eval', step: 15, epoch: 0, best: true, metrics: { exactMatch: 0.4, tokenAccuracy: 0.8, bleu: 55, chrf: 70, cer: 0.1, wer: 0.3, perplexity: 1.8, loss: 0.6, teacherForcedAccuracy: 0.9, freeRunLoss: 0.9, freeRunAccuracy: 0.75, exposureGap: 0.3, reward: 0.5, macroF1: NaN }, sample: sample(15) },
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
      // What auto decided, from the start event: per side tokenizer and why, then the auto settings.
      const section = dash.page.locator('#decisions');
      assert.ok(await section.isVisible(), 'the Decisions section shows');
      assert.equal(await section.locator('h2').innerText(), 'Decisions');
      assert.match(await section.locator('#decisions-sides tbody tr').first().innerText(), /Tokenizer\s+char \(auto\)\s+subword \(auto, 2,000 pieces\)/);
      assert.match(await section.locator('#decisions-sides').innerText(), /Word OOV rate\s+42\.0 %/);
      assert.match(await section.locator('#decisions-settings').innerText(), /Batch size\s+16 fewer than 2,000 training pairs/);

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
      // After the picture, which shows the top: focusing the table scrolls down to it.
      await section.locator('.table-box').focus();
      assert.equal(await dash.page.evaluate(() => document.activeElement?.getAttribute('role')), 'region', 'the table scrolls from the keyboard');
      assertClean(dash);
      await dash.page.close();
    });

    it('a reopened g2p run: decisions and PER from the run directory (no start event in the history)', async () => {
      const dash = await open('dashboard');
      const evaluations = history.filter(e => e.kind === 'eval');
      await dash.host({ type: 'history', runDir: '/runs/g2p-1', events: evaluations, run: { decisions, targetUnit: 'phoneme' } });
      await dash.page.locator('body[data-ready="true"]').waitFor();
      assert.ok(await dash.page.locator('#decisions').isVisible());
      assert.match(await dash.page.locator('#decisions-sides').innerText(), /subword \(auto, 2,000 pieces\)/);
      assert.match((await dash.page.locator('#chart-errorRate').getAttribute('aria-label'))!, /PER 0\.3 at step 15/);
      assert.match(await dash.page.locator('#run-stats').innerText(), /Valid CER \/ PER/);
      // An older run decided nothing: no section at all.
      await dash.host({ type: 'history', runDir: '/runs/old', events: evaluations });
      await dash.page.waitForFunction(() => document.querySelector('#decisions')?.hasAttribute('hidden'));
      assert.match(await dash.page.locator('#run-stats').innerText(), /Valid CER \/ WER/);
      assertClean(dash);
      await dash.page.close();
    });

    it('a classify run: only its curves (no BLEU, error-rate or exposure chart), named for it, macro-F1 included', async () => {
      const dash = await open('dashboard');
      const classify: ProgressEvent[] = history.map(e => (e.kind === 'start' ? { ...e, shape: 'classify' as const }
        : e.kind === 'eval' ? { ...e, metrics: { ...e.metrics, bleu: NaN, chrf: NaN, cer: NaN, wer: NaN, freeRunLoss: NaN, freeRunAccuracy: NaN, exposureGap: NaN, reward: NaN, macroF1: 0.35 } } : e));
      await dash.host({ type: 'history', runDir: '/runs/sentiment-1', events: classify });
      await dash.page.locator('body[data-ready="true"][data-shape="classify"]').waitFor();
      const visible = await dash.page.locator('figure.chart').evaluateAll(figures => figures.filter(f => !(f as HTMLElement).hidden).map(f => f.getAttribute('data-chart')));
      assert.deepEqual(visible, ['loss', 'accuracy', 'learningRate', 'gradientNorm', 'tokensPerSecond']);
      assert.equal(await dash.page.locator('figure[data-chart="accuracy"] figcaption').innerText(), 'Accuracy');
      const label = (await dash.page.locator('#chart-accuracy').getAttribute('aria-label'))!;
      assert.match(label, /^Accuracy: Accuracy 0\.4 at step 15; Macro-F1 0\.35 at step 15$/);
      const stats = await dash.page.locator('#run-stats').innerText();
      assert.match(stats, /Valid Accuracy\s+40\.00 %/);
      assert.match(stats, /Valid Macro-F1\s+35\.00 %/);
      assert.doesNotMatch(stats, /BLEU|CER/);
      assertClean(dash);
      await dash.page.close();
    });

    it('speaks zh-CN with the bundle the host sends in history: chart titles, status, table', async () => {
      const dash = await open('dashboard');
      await dash.host({ type: 'history', runDir: '/runs/dates-1', events: history, l10n: ZH_CN });
      await dash.page.locator('body[data-ready="true"]').waitFor();
      const page = dash.page;
      assert.deepEqual(await page.locator('figure.chart figcaption').allInnerTexts(), ['损失', '词元准确率', 'BLEU', '错误率', '暴露偏差：损失', '暴露偏差：词元准确率', '奖励', '学习率', '梯度范数', '词元/秒']);
      assert.equal(await page.locator('h1').innerText(), '训练：dates-1');
      assert.equal(await page.locator('#run-status').innerText(), '第 2 轮，第 20/30 步，约剩 11 秒。');
      assert.deepEqual(await page.locator('h2').allInnerTexts(), ['曲线', '自动决定', '验证样本', '日志']);
      assert.deepEqual(await page.locator('#samples thead th').allInnerTexts(), ['步数', '源文本', '预测', '参考答案', '完全匹配']);
      assert.match(await page.locator('#samples tbody tr').innerText(), /✗ 否/);
      assert.match((await page.locator('#chart-loss').getAttribute('aria-label'))!, /^损失：训练损失 [\d.]+（第 20 步）；验证损失 [\d.]+（第 15 步）$/);
      const stats = await page.locator('#run-stats dt').allInnerTexts();
      assert.deepEqual(stats, ['后端', '句子对（训练 / 验证 / 测试）', '模型', '训练损失', '词元/秒', '验证集完全匹配率', '验证集 BLEU', '验证集 CER / WER', '检查点']);
      assert.match(await page.locator('#run-stats').innerText(), /lstm，1\+1 层，64 个单元，注意力 additive/);
      await shot(page, 'panel-dashboard-zh-cn');
      assertClean(dash);
      await page.close();
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
      candidates: [
        { output: '2021 - 03', tokens: ['2021', '-', '03'], probabilities: [0.97, 0.88, 0.61], logProbability: -0.67, score: -0.52, attention: [[0.05, 0.05, 0.9], [0.3, 0.4, 0.3], [0.8, 0.15, 0.05]] },
        { output: '2021 - 04', tokens: ['2021', '-', '04'], probabilities: [0.97, 0.88, 0.2], logProbability: -1.8, score: -1.41, attention: [[0.1, 0.1, 0.8], [0.2, 0.5, 0.3], [0.1, 0.85, 0.05]] },
      ],
    };
    const item = { id: 't1', label: 'march 3 2021', origin: 'selection', model: 'dates-run', translation };

    it('draws the chart.js heatmap with tokens on both axes, a tooltip, row clicks and keyboard cells', async () => {
      const att = await open('attention');
      await att.host({ type: 'items', items: [item], selectedId: 't1' });
      await att.page.locator('body[data-ready="true"]').waitFor();
      const page = att.page;
      const canvas = page.locator('#attention-chart');
      assert.deepEqual(JSON.parse((await canvas.getAttribute('data-x-labels')) ?? '[]'), ['march', '3', '2021'], 'source tokens on the x axis');
      assert.deepEqual(JSON.parse((await canvas.getAttribute('data-y-labels')) ?? '[]'), ['2021', '-', '03'], 'output tokens on the y axis');
      // Hover the cell of output "-" (row 1) and source "3" (column 1), from the plot area the chart publishes.
      const box = (await canvas.boundingBox())!;
      const [left, top, right, bottom] = ((await canvas.getAttribute('data-area')) ?? '').split(',').map(Number);
      const at = (row: number, col: number) => ({ x: box.x + left + ((col + 0.5) * (right - left)) / 3, y: box.y + top + ((row + 0.5) * (bottom - top)) / 3 });
      await page.mouse.move(at(1, 1).x, at(1, 1).y);
      const tip = await page.locator('#chart-tooltip').innerText();
      assert.match(tip, /Source: 3/);
      assert.match(tip, /Output: -/);
      assert.match(tip, /Weight: 0\.400/);
      assert.match(tip, /p\(output\): 88 %/);
      await page.mouse.move(at(0, 2).x, at(0, 2).y);
      assert.match(await page.locator('#chart-tooltip').innerText(), /Source: 2021\s+Output: 2021\s+Weight: 0\.900\s+p\(output\): 97 %/);
      await page.mouse.click(at(1, 2).x, at(1, 2).y);
      const highlight = (await att.sent()).filter(m => m.type === 'highlightRow');
      assert.deepEqual(highlight[highlight.length - 1], { type: 'highlightRow', ref: { kind: 'item', itemId: 't1', candidate: 0 }, row: 1 });
      assert.ok(parseAttentionMessage(highlight[0]).ok, 'the request passes the host validator');
      // The canvas really is painted: the 0.9 cell is darker than the 0.05 one (theme chart colour).
      const pixel = (p: { x: number; y: number }) => page.evaluate(([x, y]) => {
        const c = document.getElementById('attention-chart') as HTMLCanvasElement;
        const ratio = c.width / c.clientWidth;
        return Array.from(c.getContext('2d')!.getImageData(Math.round(x * ratio), Math.round(y * ratio), 1, 1).data);
      }, [p.x - box.x, p.y - box.y]);
      assert.notDeepEqual(await pixel(at(0, 2)), await pixel(at(0, 0)));
      // Keyboard: focus the map, arrows move a focus cell, described in the live region; Enter = click.
      await canvas.focus();
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowDown');
      assert.match(await page.locator('#cell-detail').innerText(), /Output “-” ← source “.+”: weight 0\.\d{3}/);
      await page.keyboard.press('Enter');
      assert.equal((await att.sent()).filter(m => m.type === 'highlightRow').length, 2);
      // The table alternative, with its own keyboard grid.
      await page.locator('#table-view summary').click();
      assert.deepEqual(await page.locator('#heatmap thead th.source-token').allInnerTexts(), ['march', '3', '2021']);
      assert.deepEqual(await page.locator('#heatmap tbody th.output-token').allInnerTexts(), ['2021', '-', '03']);
      assert.deepEqual(await page.locator('#heatmap tbody td.prob').allInnerTexts(), ['97 %', '88 %', '61 %']);
      assert.equal(await page.locator('#heatmap td.cell').count(), 9);
      assert.equal(await page.locator('td.cell.max[data-row="0"]').getAttribute('data-col'), '2');
      await page.locator('td.cell[data-row="0"][data-col="0"]').focus();
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowDown');
      assert.equal(await page.evaluate(() => (document.activeElement as HTMLElement).dataset.col + ',' + (document.activeElement as HTMLElement).dataset.row), '1,1');
      assert.match(await page.locator('#cell-detail').innerText(), /- ← 3: 0\.4/);
      const state = (await att.state()) as { items: unknown[]; selectedId: string };
      assert.deepEqual(state, { items: [item], selectedId: 't1' });
      await shot(page, 'panel-attention-standalone');
      assertClean(att);
      await page.close();
    });

    it('lists beam candidates with scores; choosing one draws its attention; what-if and exports post valid requests', async () => {
      const att = await open('attention');
      await att.host({ type: 'items', items: [item], selectedId: 't1' });
      const page = att.page;
      await page.locator('body[data-ready="true"]').waitFor();
      assert.deepEqual(await page.locator('#candidates td.candidate-output').allInnerTexts(), ['2021 - 03', '2021 - 04']);
      assert.deepEqual(await page.locator('#candidates td.log-p').allInnerTexts(), ['-0.670', '-1.800']);
      assert.deepEqual(await page.locator('#candidates td.score').allInnerTexts(), ['-0.520', '-1.410']);
      assert.match(await page.locator('#candidates tbody tr').nth(1).innerText(), /04\s*20%/);
      const before = await page.locator('#attention-chart').getAttribute('data-signature');
      await page.getByRole('button', { name: 'Show the attention of candidate 2' }).click();
      assert.notEqual(await page.locator('#attention-chart').getAttribute('data-signature'), before);
      assert.equal(await page.locator('#candidate-select').inputValue(), '1');
      // What-if: correct token 3 of candidate 2.
      await page.getByRole('button', { name: 'Correct token 3: 04' }).click();
      await page.getByLabel(/Replace “04”/).fill('05');
      await page.getByRole('button', { name: 'Decode from here' }).click();
      assert.equal(await page.locator('body').getAttribute('data-busy'), 'true', 'a loading state while the engine works');
      const whatIf = (await att.sent()).find(m => m.type === 'whatIf')!;
      assert.deepEqual(whatIf, { type: 'whatIf', ref: { kind: 'item', itemId: 't1', candidate: 1 }, position: 2, token: '05' });
      assert.ok(parseAttentionMessage(whatIf).ok);
      // The host answers with the forced decoding: the panel compares it with what it replaced.
      const forced: Translation = { ...translation, output: '2021 - 05', tokens: ['2021', '-', '05'], probabilities: [0.97, 0.88, 0.01], attention: [[0.1, 0.1, 0.8], [0.2, 0.5, 0.3], [0.6, 0.3, 0.1]], candidates: [] };
      await att.host({
        type: 'items',
        items: [{ id: 't2', label: 'what-if', origin: 'whatIf', translation: forced, whatIf: { position: 2, baseLabel: 'candidate 2', base: { tokens: ['2021', '-', '04'], probabilities: [0.97, 0.88, 0.2], attention: [[0.1, 0.1, 0.8], [0.2, 0.5, 0.3], [0.1, 0.85, 0.05]] } } }, item],
        selectedId: 't2',
      });
      await page.locator('#whatif-compare').waitFor();
      assert.equal(await page.locator('body').getAttribute('data-busy'), 'false');
      assert.deepEqual(await page.locator('#compare-after .token-chip').evaluateAll(es => es.map(e => (e as HTMLElement).dataset.kind)), ['kept', 'kept', 'forced']);
      assert.match(await page.locator('#whatif-summary').innerText(), /moved by 0\.367/);
      // Exports: JSON and PNG requests that pass the host's validator.
      await page.getByRole('button', { name: 'Export JSON' }).click();
      await page.getByRole('button', { name: 'Export PNG' }).click();
      const exports = (await att.sent()).filter(m => m.type === 'export');
      assert.deepEqual(exports.map(m => [m.format, m.name]), [['json', 'attention-march-3-2021.json'], ['png', 'attention-march-3-2021.png']]);
      for (const m of exports) assert.ok(parseAttentionMessage(m).ok, `${m.format} export is valid`);
      assert.deepEqual(JSON.parse(exports[0].data as string).tokens, ['2021', '-', '05']);
      await shot(page, 'panel-beam-standalone');
      assertClean(att);
      await page.close();
    });

    it('live mode: a slider over the evaluations, following new ones', async () => {
      const att = await open('attention');
      const sample = (step: number, attention: number[][]) => ({ step, epoch: 0, sample: { ...translation, reference: '2021-03-03', attention, candidates: [] } });
      await att.host({ type: 'live', live: { runDir: '/runs/a', name: 'a', training: true, evaluations: [sample(10, [[0.4, 0.3, 0.3], [0.3, 0.4, 0.3], [0.3, 0.3, 0.4]])] } });
      const page = att.page;
      await page.locator('body[data-evaluations="1"]').waitFor();
      await att.host({ type: 'evaluation', runDir: '/runs/a', evaluation: sample(20, translation.attention) });
      await page.locator('body[data-evaluations="2"]').waitFor();
      assert.match(await page.locator('#eval-label').innerText(), /step 20 \(evaluation 2 of 2\), following live/);
      const newest = await page.locator('#attention-chart').getAttribute('data-signature');
      await page.locator('#eval-slider').focus();
      await page.keyboard.press('ArrowLeft');
      assert.match(await page.locator('#eval-label').innerText(), /step 10 \(evaluation 1 of 2\)/);
      assert.notEqual(await page.locator('#attention-chart').getAttribute('data-signature'), newest);
      assert.equal(await page.locator('#reference-text').innerText(), '2021-03-03');
      assertClean(att);
      await page.close();
    });

    it('says so when the model has no attention', async () => {
      const att = await open('attention');
      await att.host({ type: 'items', items: [{ ...item, translation: { ...translation, attention: [[], [], []], candidates: [] } }], selectedId: 't1' });
      await att.page.locator('#no-attention:not([hidden])').waitFor();
      await att.page.locator('#table-view summary').click();
      assert.equal(await att.page.locator('#heatmap td.cell').count(), 0);
      assert.deepEqual(await att.page.locator('#heatmap tbody td.prob').allInnerTexts(), ['97 %', '88 %', '61 %']);
      assertClean(att);
      await att.page.close();
    });

    it('speaks zh-CN with the bundle the host sends in items: headings, buttons, labels, what-if', async () => {
      const zh = await open('attention');
      await zh.host({ type: 'items', items: [item], selectedId: 't1', l10n: ZH_CN });
      const page = zh.page;
      await page.locator('body[data-ready="true"]').waitFor();
      assert.equal(await page.locator('h1').innerText(), '注意力');
      assert.deepEqual(await page.locator('h2').allInnerTexts(), ['束搜索候选', '假如……']);
      assert.deepEqual(await page.locator('#sample-select option').allTextContents(), ['选中文本：march 3 2021']);
      for (const name of ['翻译', '导出 PNG', '导出 JSON', '显示候选 2 的注意力', '修正第 3 个词元：03']) {
        assert.equal(await page.getByRole('button', { name, exact: true }).count(), 1, `one button named "${name}"`);
      }
      assert.equal(await page.getByRole('form', { name: '翻译输入的文本' }).count(), 1);
      assert.equal(await page.getByLabel('束搜索宽度').count(), 1);
      assert.equal(await page.getByRole('combobox', { name: '束搜索候选', exact: true }).count(), 1);
      assert.equal(await page.getByRole('region', { name: '束搜索候选', exact: true }).count(), 1);
      assert.deepEqual(await page.locator('#translation-summary dt').allInnerTexts(), ['源文本', '输出', '模型']);
      assert.deepEqual(await page.locator('#candidates thead th').allInnerTexts(), ['#', '输出', 'log p', '得分（含长度惩罚）', '词元（概率）', '']);
      assert.equal(await page.locator('#table-view summary').innerText(), '以表格显示权重');
      assert.equal(
        await page.locator('#attention-chart').getAttribute('aria-label'),
        '“march 3 2021” → “2021 - 03” 的注意力热力图：3 个输出词元（行）× 3 个源端词元（列）',
      );
      // The tooltip of the cell (output "-", source "3"), keyboard focus on the map and a chosen row, in Chinese.
      const box = (await page.locator('#attention-chart').boundingBox())!;
      const [left, top, right, bottom] = ((await page.locator('#attention-chart').getAttribute('data-area')) ?? '').split(',').map(Number);
      await page.mouse.move(box.x + left + (1.5 * (right - left)) / 3, box.y + top + (1.5 * (bottom - top)) / 3);
      assert.match(await page.locator('#chart-tooltip').innerText(), /^源文本：3\s+输出：-\s+权重：0\.400\s+p\(输出\)：88 %$/);
      await page.mouse.move(0, 0);
      await page.locator('#attention-chart').focus();
      await page.keyboard.press('ArrowRight');
      assert.match(await page.locator('#cell-detail').innerText(), /^输出“2021” ← 源端“.+”：权重 0\.\d{3}；p\(输出\) 97 %$/);
      await page.keyboard.press('Enter');
      assert.equal(await page.locator('#cell-detail').innerText(), '第 1 行：“2021”——它关注的源端词元已在编辑器中高亮。');
      // What-if, in Chinese.
      await page.getByRole('button', { name: '修正第 3 个词元：03' }).click();
      await page.getByLabel('将“03”（第 3 个词元）替换为').fill('04');
      await page.getByRole('button', { name: '从此处解码' }).click();
      assert.equal(await page.locator('#busy').innerText(), '正在从修正后的前缀继续解码…');
      // Live mode's sample and slider text.
      const sample = { step: 20, epoch: 0, sample: { ...translation, reference: '2021-03-03', candidates: [] } };
      await zh.host({ type: 'live', live: { runDir: '/runs/a', name: 'a', training: true, evaluations: [sample] } });
      assert.deepEqual(await page.locator('#sample-select option').allTextContents(), ['选中文本：march 3 2021', '验证样本 — a（实时）']);
      await page.locator('#sample-select').selectOption('live');
      assert.equal(await page.locator('#eval-label').innerText(), '第 20 步（第 1/1 次评估），实时跟随');
      assert.deepEqual(await page.locator('#translation-summary dt').allInnerTexts(), ['源文本', '输出', '参考答案']);
      const text = await page.locator('#app').innerText();
      assert.doesNotMatch(text, /\b(Attention|Sample|Translate|Beam|Export|Weights|Evaluation|Source|Output|Reference|Rows are|One attention|What if|step \d)\b/, 'no English left in the page\'s own words');
      await shot(page, 'panel-attention-zh-cn');
      assertClean(zh);
      await page.close();
    });

    it('renders a 200 × 200 map (time printed, not asserted)', async () => {
      const att = await open('attention');
      const n = 200;
      const tokens = Array.from({ length: n }, (_, i) => `t${i}`);
      const attention = tokens.map((_, i) => tokens.map((__, j) => (i === j ? 0.5 : 0.5 / (n - 1))));
      const big: Translation = { source: tokens.join(' '), sourceTokens: tokens, output: tokens.join(' '), tokens, probabilities: tokens.map(() => 0.5), attention, candidates: [] };
      const t = Date.now();
      await att.host({ type: 'items', items: [{ ...item, translation: big }], selectedId: 't1' });
      await att.page.locator('#attention-chart[data-rows="200"]').waitFor();
      const inPage = await att.page.locator('#attention-chart').getAttribute('data-render-ms');
      console.log(`      200 × 200 attention map: chart drawn in ${inPage} ms (${Date.now() - t} ms from the host message, with the panel around it)`);
      assertClean(att);
      await att.page.close();
    });
  });
});
