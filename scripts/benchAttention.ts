/**
 * How long the attention view takes to draw a 200 × 200 map (the target: under 200 ms).
 * Serves the built webview bundle (dist/webview/attention.js, `npm run build`) in the exact
 * HTML shell the extension uses, opens it in headless chromium (playwright-core,
 * /usr/bin/chromium or HARNESS_CHROMIUM) with a stub VS Code API, sends maps as the host would,
 * and prints the time the chart took (measured in the page around the chart.js draw) and the
 * time from the host message until the panel is done. A printed figure, not a test.
 *
 *   npm run bench:attention [-- --size=200 --runs=7]
 */
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { chromium } from 'playwright-core';
import { loadingBody, shellHtml } from '../src/shared/webviewShell';
import type { Translation } from '../src/shared/protocol';
import { makeRng } from '../src/engine/data/split';

const ROOT = path.resolve(__dirname, '..');
const CHROMIUM = process.env.HARNESS_CHROMIUM ?? '/usr/bin/chromium';
const arg = (name: string, fallback: number) => Number(process.argv.find(a => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback);
const SIZE = arg('size', 200);
const RUNS = arg('runs', 7);


/**
 * A soft diagonal whose rows sum to 1 (what trained attention looks like), or the worst case for
 * drawing: independent uniform weights, so nearly every cell differs in shade from its neighbours.
 */
function map(kind: 'diagonal' | 'random', n: number): Translation {
  const random = makeRng(n);
  const tokens = Array.from({ length: n }, (_, i) => `w${i}`);
  const attention = tokens.map((_, i) => {
    const row = tokens.map((__, j) => (kind === 'diagonal' ? Math.exp(-((i - j) ** 2) / 8) + 0.001 * random() : random()));
    if (kind === 'random') return row;
    const sum = row.reduce((a, b) => a + b, 0);
    return row.map(v => v / sum);
  });
  return { source: tokens.join(' '), sourceTokens: tokens, output: tokens.join(' '), tokens, probabilities: tokens.map(() => random()), attention, candidates: [] };
}

function serve(): Promise<{ server: http.Server; origin: string }> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    if (url.pathname === '/attention.html') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(shellHtml({ cspSource: origin, nonce: 'bench', title: 'attention', styles: [`${origin}/media/panels.css`, `${origin}/media/attention.css`], script: `${origin}/dist/webview/attention.js`, body: loadingBody('Loading…') }));
      return;
    }
    const file = path.join(ROOT, path.normalize(url.pathname));
    if (!(file.startsWith(path.join(ROOT, 'dist', 'webview')) || file.startsWith(path.join(ROOT, 'media'))) || !fs.existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': file.endsWith('.js') ? 'text/javascript' : 'text/css' });
    res.end(fs.readFileSync(file));
  });
  return new Promise(resolve => server.listen(0, '127.0.0.1', () => resolve({ server, origin: `http://127.0.0.1:${(server.address() as { port: number }).port}` })));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'webview', 'attention.js'))) throw new Error('dist/webview/attention.js missing: run npm run build');
  const { server, origin } = await serve();
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.addInitScript(`window.acquireVsCodeApi = () => ({ postMessage() {}, getState() {}, setState() {} });`);
    await page.goto(`${origin}/attention.html`);
    console.log(`attention view, ${SIZE} × ${SIZE} map, ${RUNS} runs each (median; chromium ${browser.version()}, headless, software rendering)`);
    for (const kind of ['diagonal', 'random'] as const) {
      const chart: number[] = [];
      const total: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        const translation = map(kind, SIZE);
        const item = { id: `b${run}`, label: kind, origin: 'typed', translation };
        const message = { type: 'items', items: [item], selectedId: item.id };
        // A string, not a function: tsx would wrap a function's inner closures in its `__name` helper.
        const result = (await page.evaluate(`new Promise(resolve => {
          const message = ${JSON.stringify(message)};
          const started = performance.now();
          window.postMessage(message, '*');
          const check = () => {
            const canvas = document.getElementById('attention-chart');
            if (canvas && canvas.dataset.signature && document.body.dataset.view === 'item:' + message.selectedId + ':0') {
              // The next frame: layout and paint of the rest of the panel included.
              requestAnimationFrame(() => resolve({ chart: Number(canvas.dataset.renderMs), total: performance.now() - started }));
            } else setTimeout(check, 0);
          };
          check();
        })`)) as { chart: number; total: number };
        chart.push(result.chart);
        total.push(result.total);
      }
      console.log(`  ${kind.padEnd(8)} chart.js matrix draw: ${median(chart).toFixed(1)} ms   whole panel update: ${median(total).toFixed(1)} ms   (runs: ${chart.map(v => v.toFixed(0)).join(', ')} ms)`);
    }
  } finally {
    await browser.close();
    server.close();
  }
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
