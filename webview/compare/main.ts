/**
 * The run comparison webview: hyperparameter table (differing values highlighted), final
 * metrics, and validation curves of every run overlaid on shared chart.js axes (one chart per
 * metric, one line per run). Keyboard: the table and each chart are tab stops with accessible
 * names; each chart is also described in words (last value of every run).
 */
import { Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip, type ChartDataset, type Point as ChartPoint } from 'chart.js';
import type { CompareState, HostToCompareMessage, RunSummary } from '../../src/shared/diffsProtocol';
import { formatMetric, metricDefinition, metricLabel, METRICS, type MetricKey } from '../../src/shared/metrics';
import { applyAxisColors, paletteColor, type PaletteColor } from '../common/chartTheme';
import { el, formatNumber, onThemeChange, showContent, themeColor, themeKind } from '../common/dom';
import { t, useL10nBundle } from '../common/l10n';
import { onHostMessage, post, setState } from '../common/vscodeApi';
import { bestOf, configRows, CURVE_METRICS, curvePoints, formatValue, metricShown, runLabels, sharedShape, targetUnitOf } from './model';

Chart.register(LineController, LineElement, PointElement, LinearScale, Legend, Tooltip);

// One colour per run (not per metric: each chart is one metric).
const PALETTE: readonly PaletteColor[] = ['blue', 'orange', 'green', 'red', 'purple', 'yellow'];
const color = (i: number) => paletteColor(PALETTE[i % PALETTE.length]);

let charts: Array<Chart<'line', ChartPoint[]>> = [];


/**
 * The settings that differ (highlighted, first) and, behind a disclosure, those all runs share:
 * one table, so the columns line up, with the shared rows in their own tbody.
 */
function hyperparameterTable(runs: RunSummary[], labels: string[]): HTMLElement {
  const configs = runs.map(r => r.config);
  const rows = configRows(configs, true);
  const differing = rows.filter(r => r.differs).length;
  const table = el('table', { id: 'hyperparameters', class: 'compare-table' });
  table.append(el('caption', {}, differing === 0 ? t('The runs share every setting') : differing === 1 ? t('1 setting differs between the runs (highlighted)') : t('{0} settings differ between the runs (highlighted)', differing)));
  const head = el('tr', {}, el('th', { scope: 'col' }, t('Setting')), ...labels.map((label, i) => el('th', { scope: 'col', title: runs[i].runDir }, label)));
  table.append(el('thead', {}, head));
  const differ = el('tbody', { class: 'differing' });
  const same = el('tbody', { class: 'same', hidden: '' });
  const dataDiffers = new Set(runs.map(r => r.data)).size > 1;
  (dataDiffers ? differ : same).append(el('tr', { 'data-key': 'data', class: dataDiffers ? 'differs' : '' }, el('th', { scope: 'row' }, t('Data')), ...runs.map(r => el('td', {}, r.data || '—'))));
  for (const row of rows) {
    const tr = el('tr', { 'data-key': row.key, class: row.differs ? 'differs' : '' }, el('th', { scope: 'row', title: row.key }, t(row.label)));
    for (const config of configs) tr.append(el('td', row.differs ? { 'aria-description': t('differs between runs') } : {}, formatValue(config[row.key])));
    (row.differs ? differ : same).append(tr);
  }
  table.append(differ, same);
  const toggle = el('button', { type: 'button', id: 'toggle-same', 'aria-expanded': 'false', 'aria-controls': 'hyperparameters' }, t('Show the {0} shared settings', same.childElementCount));
  toggle.addEventListener('click', () => {
    const show = same.hidden;
    same.hidden = !show;
    toggle.setAttribute('aria-expanded', String(show));
    toggle.textContent = show ? t('Hide the shared settings') : t('Show the {0} shared settings', same.childElementCount);
  });
  return el('div', {}, el('div', { class: 'table-scroll', role: 'region', 'aria-label': t('Hyperparameters'), tabindex: '0' }, table), el('p', {}, toggle));
}

/** The metrics the final table shows: every metric but perplexity (the loss says the same). */
const TABLE_METRICS = METRICS.filter(m => m.key !== 'perplexity');

function metricsTable(runs: RunSummary[], labels: string[]): HTMLElement {
  const unit = targetUnitOf(runs);
  const shape = sharedShape(runs);
  // Only the metrics of the runs' shapes (no BLEU column when every run is a classify run).
  const columns = TABLE_METRICS.filter(m => metricShown(m.key, runs));
  const table = el('table', { id: 'final-metrics', class: 'compare-table' });
  table.append(el('caption', {}, t('Final metrics (test split with the best checkpoint when the run finished, else the last validation)')));
  table.append(el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, t('Run')), el('th', { scope: 'col' }, t('State')), el('th', { scope: 'col' }, t('Split')),
    ...columns.map(m => el('th', { scope: 'col', 'data-metric': m.key, title: t(m.description) }, t(metricLabel(m.key, unit, shape)))))));
  const body = el('tbody');
  const cell = (run: RunSummary, key: MetricKey) => {
    const value = run.final?.metrics[key];
    // Marked only where the runs differ (a column of equal values has no best).
    const top = value !== undefined && bestOf(runs.map(r => r.final?.metrics[key]), key) === value;
    return el('td', { class: top ? 'best' : '', ...(top ? { 'aria-description': t('best of the compared runs') } : {}) }, formatMetric(key, value));
  };
  runs.forEach((run, i) => {
    body.append(el('tr', { 'data-run': run.name }, el('th', { scope: 'row', title: run.runDir }, labels[i]), el('td', {}, run.state), el('td', {}, run.final?.split ?? '—'),
      ...columns.map(m => cell(run, m.key))));
  });
  table.append(body);
  return el('div', { class: 'table-scroll', role: 'region', 'aria-label': t('Final metrics'), tabindex: '0' }, table);
}

function makeCharts(runs: RunSummary[], labels: string[]): HTMLElement {
  charts.forEach(c => c.destroy());
  charts = [];
  const grid = el('div', { class: 'charts' });
  const shape = sharedShape(runs);
  CURVE_METRICS.filter(metric => metricShown(metric.key, runs)).forEach(metric => {
    const points = curvePoints(runs, metric.key);
    const count = points.reduce((n, p) => n + p.length, 0);
    // Runs of one other shape name their metrics for it ("Validation accuracy" for classify).
    const title = shape && shape !== 'seq2seq' && shape !== 'generate' ? t('Validation {0}', t(metricLabel(metric.key, shape))) : t(metric.title);
    const def = metricDefinition(metric.key)!;
    const percent = def.unit === 'fraction';
    const describe = runs.map((_, i) => `${labels[i]} ${points[i].length ? formatMetric(metric.key, points[i][points[i].length - 1].y) : t('no data')}`).join(', ');
    const canvas = el('canvas', { id: `chart-${metric.key}`, role: 'img', tabindex: '0', 'aria-label': t('{0} by step, last values: {1}', title, describe), 'data-points': String(count), 'data-lines': String(points.filter(p => p.length).length) });
    grid.append(el('figure', { class: 'chart' }, el('figcaption', {}, title), el('div', { class: 'canvas-box' }, canvas)));
    const datasets: ChartDataset<'line', ChartPoint[]>[] = points.map((data, i) => ({ label: labels[i], data, parsing: false, pointRadius: 2, borderWidth: 1.5, tension: 0 }));
    const chart = new Chart<'line', ChartPoint[]>(canvas, {
      type: 'line',
      data: { datasets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: 'nearest', intersect: false },
        plugins: { legend: { display: true, labels: { boxWidth: 12 } }, tooltip: { callbacks: { label: item => `${item.dataset.label}: ${formatMetric(metric.key, item.parsed.y ?? NaN)}` } } },
        scales: {
          x: { type: 'linear', title: { display: true, text: t('Step') }, ticks: { maxTicksLimit: 6 } },
          // Shares that cannot pass 100 % get a fixed 0–1 axis; error rates can.
          y: { type: 'linear', ...(percent && !def.lowerIsBetter ? { min: 0, max: 1 } : { beginAtZero: true }), ticks: { maxTicksLimit: 6, callback: value => (percent ? `${Math.round(Number(value) * 100)} %` : formatNumber(Number(value))) } },
        },
      },
    });
    charts.push(chart);
  });
  applyTheme();
  return grid;
}

function applyTheme(): void {
  const contrast = themeKind().startsWith('high-contrast');
  const fg = themeColor('--vscode-charts-foreground', themeColor('--vscode-foreground', '#ccc'));
  const lines = contrast ? themeColor('--vscode-contrastBorder', fg) : themeColor('--vscode-charts-lines', 'rgba(128,128,128,0.3)');
  for (const chart of charts) {
    chart.data.datasets.forEach((dataset, i) => {
      dataset.borderColor = color(i);
      dataset.backgroundColor = color(i);
      // Beyond the palette (and in high contrast), dashes tell the lines apart.
      dataset.borderDash = i >= PALETTE.length || (contrast && i > 0) ? [6, 3] : [];
    });
    applyAxisColors(chart, fg, lines);
    chart.update('none');
  }
}

function render(runs: RunSummary[], title: string): void {
  const labels = runLabels(runs);
  const problems = runs.filter(r => r.problem);
  showContent(
    el('h1', {}, title),
    el('p', { id: 'run-list', class: 'help' }, runs.map(r => r.name).join(' · ')),
    ...(problems.length ? [el('p', { class: 'error', role: 'alert', id: 'problems' }, problems.map(r => `${r.name}: ${r.problem}`).join(' | '))] : []),
    el('section', { 'aria-labelledby': 'hp-heading' }, el('h2', { id: 'hp-heading' }, t('Hyperparameters')), hyperparameterTable(runs, labels)),
    el('section', { 'aria-labelledby': 'metrics-heading' }, el('h2', { id: 'metrics-heading' }, t('Final metrics')), metricsTable(runs, labels)),
    el('section', { 'aria-labelledby': 'curves-heading' }, el('h2', { id: 'curves-heading' }, t('Validation curves')), makeCharts(runs, labels)),
  );
  document.body.dataset.ready = 'true';
  document.body.dataset.runs = String(runs.length);
  const state: CompareState = { runDirs: runs.map(r => r.runDir) };
  setState(state);
}

onThemeChange(applyTheme);
onHostMessage<HostToCompareMessage>(message => {
  if (message.type === 'runs') {
    useL10nBundle(message.l10n);
    render(message.runs, message.title);
  }
  else if (message.type === 'failed') {
    showContent(el('p', { class: 'error', role: 'alert', id: 'failure' }, message.message));
    document.body.dataset.ready = 'failed';
  }
});
post({ type: 'ready' });
