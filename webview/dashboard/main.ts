/**
 * The training dashboard webview: chart.js curves (see series.ts), run status, what `auto`
 * decided (tokenizers and settings, with the engine's reasons and figures), the fixed
 * validation sample at every evaluation, and the run's log messages. It gets the whole history
 * (`history`) when it loads and then one `event` at a time; it saves only the run directory
 * with setState (the host reloads the history after a window reload).
 */
import { Chart, Decimation, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip, type ChartDataset, type Point as ChartPoint } from 'chart.js';
import { formatMetric, metricLabel } from '../../src/shared/metrics';
import { SHAPES } from '../../src/shared/shapes';
import type { ProgressEvent, RunDecisions } from '../../src/shared/protocol';
import type { DashboardRunInfo, DashboardState, HostToDashboardMessage } from '../../src/shared/webviewProtocol';
import { applyAxisColors, paletteColor } from '../common/chartTheme';
import { decisionsView } from '../common/decisions';
import { sidesTable } from '../common/sidesTable';
import { el, formatNumber, onThemeChange, showContent, themeColor, themeKind } from '../common/dom';
import { t, useL10nBundle } from '../common/l10n';
import { onHostMessage, post, setState } from '../common/vscodeApi';
import { chartShown, chartTitle, CHARTS, RunData, seriesLabel, seriesShown } from './series';

Chart.register(LineController, LineElement, PointElement, LinearScale, Legend, Tooltip, Decimation);

const MAX_SAMPLES_SHOWN = 30;

type LineChart = Chart<'line', ChartPoint[]>;


class Dashboard {
  private data = new RunData();
  private readonly charts: LineChart[] = [];
  private readonly canvases: HTMLCanvasElement[] = [];
  private readonly latest: HTMLElement[] = [];
  private readonly figures: HTMLElement[] = [];
  private readonly title = el('h1', {}, t('Training'));
  private readonly status = el('p', { id: 'run-status', role: 'status', 'aria-live': 'polite' });
  private readonly progress = el('progress', { id: 'run-progress', max: '1', value: '0', 'aria-label': t('Training progress') });
  private readonly stats = el('dl', { id: 'run-stats', class: 'stats' });
  private readonly samples = el('tbody');
  private readonly samplesEmpty = el('p', { class: 'help' }, t('The validation sample appears after the first evaluation.'));
  private readonly logs = el('ul', { id: 'run-log', class: 'log' });
  private readonly decisions = el('section', { id: 'decisions', class: 'decisions', 'aria-labelledby': 'decisions-heading', hidden: '' });
  /** What the Decisions section and the series labels were last drawn from (redrawn only when it changes). */
  private shownDecisions: RunDecisions | undefined | null = null;
  private shownLabels: string | undefined;
  private pending: number | undefined;

  constructor() {
    const grid = el('div', { class: 'charts' });
    CHARTS.forEach((spec, index) => {
      const title = t(spec.title);
      const canvas = el('canvas', { id: `chart-${spec.id}`, role: 'img', tabindex: '0', 'aria-label': t('{0}: {1}', title, t('no data yet')), 'data-points': '0' });
      const latest = el('p', { class: 'latest', id: `latest-${spec.id}` });
      const figure = el('figure', { class: 'chart', 'data-chart': spec.id }, el('figcaption', {}, title), el('div', { class: 'canvas-box' }, canvas), latest);
      grid.append(figure);
      this.figures.push(figure);
      this.canvases.push(canvas);
      this.latest.push(latest);
      this.charts.push(this.makeChart(canvas, index));
    });
    const sampleTable = el(
      'table',
      { id: 'samples', class: 'samples' },
      el('caption', {}, t('Fixed validation sample at each evaluation (newest first)')),
      el('thead', {}, el('tr', {}, ...[t('Step'), t('Source'), t('Prediction'), t('Reference'), t('Exact match')].map(h => el('th', { scope: 'col' }, h)))),
      this.samples,
    );
    showContent(
      el('header', { class: 'run-header' }, this.title, this.status, this.progress, this.stats),
      el('section', { 'aria-labelledby': 'curves-heading' }, el('h2', { id: 'curves-heading' }, t('Curves')), grid),
      this.decisions,
      el('section', { 'aria-labelledby': 'sample-heading' }, el('h2', { id: 'sample-heading' }, t('Validation sample')), this.samplesEmpty, sampleTable),
      el('section', { 'aria-labelledby': 'log-heading' }, el('h2', { id: 'log-heading' }, t('Log')), this.logs),
    );
    onThemeChange(() => this.applyTheme());
  }

  private makeChart(canvas: HTMLCanvasElement, index: number): LineChart {
    const spec = CHARTS[index];
    const datasets: ChartDataset<'line', ChartPoint[]>[] = spec.series.map((series, s) => ({
      label: t(series.label),
      data: this.data.points[index][s],
      parsing: false,
      normalized: true,
      pointRadius: series.from === 'eval' ? 2.5 : 0,
      borderWidth: 1.5,
      tension: 0,
      spanGaps: true,
    }));
    const chart: LineChart = new Chart<'line', ChartPoint[]>(canvas, {
      type: 'line',
      data: { datasets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: 'nearest', intersect: false, axis: 'x' },
        plugins: {
          decimation: { enabled: true, algorithm: 'lttb', samples: 400, threshold: 800 },
          legend: { display: spec.series.length > 1, labels: { boxWidth: 12 } },
          tooltip: { callbacks: { label: item => `${item.dataset.label}: ${formatNumber(item.parsed.y ?? NaN, 4)}` } },
        },
        scales: {
          x: { type: 'linear', title: { display: true, text: t('Step') }, ticks: { maxTicksLimit: 6 } },
          y: { type: 'linear', min: spec.yMin, suggestedMax: spec.yMax, ticks: { maxTicksLimit: 6, callback: value => formatNumber(Number(value)) } },
        },
      },
    });
    this.theme(chart, index);
    return chart;
  }

  private theme(chart: LineChart, index: number): void {
    const kind = themeKind();
    const contrast = kind.startsWith('high-contrast');
    const fg = themeColor('--vscode-charts-foreground', themeColor('--vscode-foreground', '#ccc'));
    const lines = contrast ? themeColor('--vscode-contrastBorder', fg) : themeColor('--vscode-charts-lines', 'rgba(128,128,128,0.3)');
    CHARTS[index].series.forEach((series, s) => {
      const dataset = chart.data.datasets[s];
      const color = paletteColor(series.color);
      dataset.borderColor = color;
      dataset.backgroundColor = color;
      dataset.borderWidth = contrast ? 2.5 : 1.5;
      dataset.borderDash = contrast && s > 0 ? [6, 3] : [];
    });
    applyAxisColors(chart, fg, lines);
  }

  private applyTheme(): void {
    this.charts.forEach((chart, i) => {
      this.theme(chart, i);
      chart.update('none');
    });
  }

  reset(runDir: string, events: ProgressEvent[], run: DashboardRunInfo | undefined): void {
    this.data = new RunData(run);
    this.shownDecisions = null;
    this.shownLabels = undefined;
    for (const event of events) this.data.add(event);
    this.title.textContent = t('Training: {0}', runDir.split(/[\\/]/).filter(Boolean).pop() ?? runDir);
    this.title.title = runDir;
    // The charts hold the arrays of the old RunData: point them at the new ones.
    this.charts.forEach((chart, c) => chart.data.datasets.forEach((d, s) => (d.data = this.data.points[c][s])));
    this.samples.replaceChildren();
    this.logs.replaceChildren();
    this.renderedSamples = 0;
    this.renderedLogs = 0;
    this.render();
  }

  add(event: ProgressEvent): void {
    if (this.data.add(event)) this.schedule();
  }

  /** Batches bursts of events into one redraw. */
  private schedule(): void {
    if (this.pending !== undefined) return;
    this.pending = window.setTimeout(() => {
      this.pending = undefined;
      this.render();
    }, 100);
  }

  private renderedSamples = 0;
  private renderedLogs = 0;

  private render(): void {
    const data = this.data;
    this.charts.forEach((chart, c) => {
      chart.update('none');
      const count = data.pointCount(c);
      const canvas = this.canvases[c];
      canvas.dataset.points = String(count);
      const parts = CHARTS[c].series
        .map((series, s) => {
          const last = data.points[c][s][data.points[c][s].length - 1];
          return last && seriesShown(series, data.shape) ? t('{0} {1} at step {2}', t(seriesLabel(series, data.targetUnit, data.shape)), formatNumber(last.y, 4), last.x) : undefined;
        })
        .filter(Boolean);
      const summary = parts.length ? parts.join(t('; ')) : t('no data yet');
      canvas.setAttribute('aria-label', t('{0}: {1}', t(chartTitle(CHARTS[c], data.shape)), summary));
      this.latest[c].textContent = parts.length ? summary : t('No data yet.');
    });
    this.renderUnit();
    this.renderDecisions();
    this.renderStatus();
    this.renderSamples();
    this.renderLogs();
    document.body.dataset.events = String(data.events);
  }

  private renderStatus(): void {
    const { start, lastStep, lastEval } = this.data;
    if (!start && !lastStep) {
      this.status.textContent = this.data.events ? t('Training…') : t('Waiting for the first training step…');
    } else if (lastStep) {
      this.status.textContent = stepStatus(lastStep.epoch + 1, lastStep.step, start?.totalSteps, lastStep.etaSeconds);
      this.progress.value = Math.max(0, Math.min(1, lastStep.fractionDone));
    } else {
      this.status.textContent = t('Started; waiting for the first step…');
    }
    const rows: Array<[string, string]> = [];
    if (start) {
      rows.push([t('Backend'), start.backend], [t('Pairs (train / valid / test)'), `${start.trainPairs} / ${start.validPairs} / ${start.testPairs}`]);
      const { cell, encoderLayers, decoderLayers, hiddenSize, attention } = start.config;
      rows.push([t('Model'), t('{0}, {1}+{2} layers, {3} units, attention {4}', cell, encoderLayers, decoderLayers, hiddenSize, attention)]);
    }
    if (lastStep) rows.push([t('Train loss'), formatNumber(lastStep.loss, 4)], [t('Tokens/s'), formatNumber(lastStep.tokensPerSecond, 4)]);
    if (lastEval && this.data.shape !== 'seq2seq' && this.data.shape !== 'generate') {
      // classify and tag: their own metrics, by their names (accuracy, macro-F1), loss aside.
      for (const key of SHAPES[this.data.shape].metrics.filter(k => k !== 'loss' && k !== 'perplexity')) {
        rows.push([t('Valid {0}', t(metricLabel(key, this.data.shape))), formatMetric(key, lastEval.metrics[key])]);
      }
    } else if (lastEval) {
      rows.push(
        [t('Valid exact match'), `${(lastEval.metrics.exactMatch * 100).toFixed(1)} %`],
        [t('Valid BLEU'), formatNumber(lastEval.metrics.bleu, 4)],
      );
      // Runs from before the error rates have none (NaN): no row rather than "—".
      if (Number.isFinite(lastEval.metrics.cer)) {
        const label = this.data.targetUnit === 'phoneme' ? t('Valid CER / PER') : t('Valid CER / WER');
        rows.push([label, `${formatMetric('cer', lastEval.metrics.cer)} / ${formatMetric('wer', lastEval.metrics.wer)}`]);
      }
    }
    if (this.data.checkpoints) rows.push([t('Checkpoints'), String(this.data.checkpoints)]);
    this.stats.replaceChildren(...rows.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
  }

  /**
   * The legends follow the target unit (a g2p run's WER curve is its PER) and the shape (a
   * classify run's exact match is its accuracy); the curves a shape has no metric for (BLEU for
   * classify) are left out, and a chart left with none is hidden rather than shown empty.
   */
  private renderUnit(): void {
    const { targetUnit: unit, shape } = this.data;
    if (`${unit} ${shape}` === this.shownLabels) return;
    this.shownLabels = `${unit} ${shape}`;
    this.charts.forEach((chart, c) => {
      const spec = CHARTS[c];
      spec.series.forEach((series, s) => {
        chart.data.datasets[s].label = t(seriesLabel(series, unit, shape));
        chart.data.datasets[s].hidden = !seriesShown(series, shape);
      });
      chart.options.plugins!.legend!.display = spec.series.filter(series => seriesShown(series, shape)).length > 1;
      this.figures[c].hidden = !chartShown(spec, shape);
      this.figures[c].querySelector('figcaption')!.textContent = t(chartTitle(spec, shape));
      chart.update('none');
    });
    document.body.dataset.targetUnit = unit;
    document.body.dataset.shape = shape;
  }

  /** Per side the tokenizer and why, with the figures it was decided on; then each setting `auto` decided. */
  private renderDecisions(): void {
    const decisions = this.data.decisions;
    if (decisions === this.shownDecisions) return;
    this.shownDecisions = decisions;
    // Runs from before the data-aware defaults decided nothing: no section rather than an empty one.
    this.decisions.hidden = !decisions;
    if (!decisions) return this.decisions.replaceChildren();
    const view = decisionsView(decisions);
    const table = sidesTable(view.sides, el('caption', {}, t('Tokenizers')), { id: 'decisions-sides', class: 'decisions-sides' });
    // A focusable region, so a keyboard can scroll the table when the panel is narrow.
    const tableBox = el('div', { class: 'table-box', tabindex: '0', role: 'region', 'aria-label': t('Tokenizers') }, table);
    const settings = view.settings.length
      ? el('dl', { id: 'decisions-settings', class: 'stats decisions-settings' }, ...view.settings.flatMap(row => [
        el('dt', { title: row.key }, row.label),
        el('dd', { 'data-key': row.key }, el('span', { class: 'value' }, row.value), ' ', el('span', { class: 'reason' }, row.reason)),
      ]))
      : el('p', { class: 'help' }, t('No setting was left at auto.'));
    this.decisions.replaceChildren(
      el('h2', { id: 'decisions-heading' }, t('Decisions')),
      tableBox,
      el('h3', {}, t('Settings left at auto')),
      settings,
    );
  }

  private renderSamples(): void {
    const samples = this.data.samples;
    if (samples.length < this.renderedSamples) {
      this.samples.replaceChildren();
      this.renderedSamples = 0;
    }
    for (const entry of samples.slice(this.renderedSamples)) {
      const { sample } = entry;
      const correct = sample.output === sample.reference;
      const prediction = el('td', { class: correct ? 'correct' : 'wrong' });
      sample.tokens.forEach((token, i) => {
        const p = sample.probabilities[i];
        const span = el('span', { class: 'token', title: `p = ${formatNumber(p ?? NaN, 3)}` }, token);
        if (typeof p === 'number') span.dataset.low = String(p < 0.5);
        prediction.append(span);
      });
      if (!sample.tokens.length) prediction.textContent = sample.output;
      const row = el(
        'tr',
        { 'data-step': String(entry.step) },
        el('th', { scope: 'row' }, String(entry.step) + (entry.best ? ' ★' : '')),
        el('td', { class: 'source' }, sample.source),
        prediction,
        el('td', { class: 'reference' }, sample.reference),
        el('td', {}, correct ? t('✓ yes') : t('✗ no')),
      );
      this.samples.prepend(row);
    }
    this.renderedSamples = samples.length;
    while (this.samples.children.length > MAX_SAMPLES_SHOWN) this.samples.lastElementChild?.remove();
    this.samplesEmpty.hidden = samples.length > 0;
  }

  private renderLogs(): void {
    for (const log of this.data.logs.slice(this.renderedLogs)) {
      this.logs.append(el('li', { class: `log-${log.level}` }, log.level === 'warn' ? `⚠ ${log.message}` : log.message));
    }
    this.renderedLogs = this.data.logs.length;
  }
}

/** "Epoch 2, step 20 of 30, about 11 s left." — one whole sentence per case, so each translates as a sentence. */
function stepStatus(epoch: number, step: number, total: number | undefined, etaSeconds: number): string {
  const eta = etaSeconds > 0 ? formatDuration(etaSeconds) : undefined;
  if (total && eta) return t('Epoch {0}, step {1} of {2}, about {3} left.', epoch, step, total, eta);
  if (total) return t('Epoch {0}, step {1} of {2}.', epoch, step, total);
  if (eta) return t('Epoch {0}, step {1}, about {2} left.', epoch, step, eta);
  return t('Epoch {0}, step {1}.', epoch, step);
}

function formatDuration(seconds: number): string {
  if (seconds < 90) return t('{0} s', Math.round(seconds));
  if (seconds < 5400) return t('{0} min', Math.round(seconds / 60));
  return t('{0} h', (seconds / 3600).toFixed(1));
}

let dashboard: Dashboard | undefined;
onHostMessage<HostToDashboardMessage>(message => {
  switch (message.type) {
    case 'history': {
      if (typeof message.runDir !== 'string' || !Array.isArray(message.events)) return;
      // Before the dashboard is built: every string it renders goes through t().
      if (!dashboard) useL10nBundle(message.l10n);
      dashboard ??= new Dashboard();
      dashboard.reset(message.runDir, message.events, message.run);
      const state: DashboardState = { runDir: message.runDir };
      setState(state);
      document.body.dataset.ready = 'true';
      return;
    }
    case 'event':
      dashboard?.add(message.event);
      return;
  }
});
post({ type: 'ready' });
