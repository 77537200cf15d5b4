/**
 * A sweep's page: progress, the best setting with "Train with the best settings", a
 * parallel-coordinates plot (SVG drawn here: one vertical axis per swept setting that varies,
 * the metric last, one polyline per trial coloured from worst to best), metric vs one setting
 * (chart.js scatter: one point per run, the mean ± std of each setting over its seeds as error
 * bars) and the trials table. Every number comes from the DOM-free model (src/shared/sweepPage.ts).
 * Keyboard: the plot and the chart are tab stops described in words; the table's buttons open a
 * trial's dashboard; focusing a trial's row highlights its line.
 */
import { Chart, Legend, LinearScale, LogarithmicScale, PointElement, ScatterController, Tooltip, type Plugin } from 'chart.js';
import { fieldSpec } from '../../src/shared/config';
import { formatHyperparameter } from '../../src/shared/experimentsTable';
import { formatMetric, metricDefinition, type MetricKey } from '../../src/shared/metrics';
import {
  bestTrial, metricRange, metricVsSetting, parallelLines, settingAxes, sweepProgress,
  type HostToSweepMessage, type SweepAxis, type SweepPageData, type SweepPageTrial, type SweepState,
} from '../../src/shared/sweepPage';
import { applyAxisColors, paletteColor } from '../common/chartTheme';
import { el, formatNumber, onThemeChange, showContent, themeColor } from '../common/dom';
import { t, useL10nBundle } from '../common/l10n';
import { getState, onHostMessage, post, setState } from '../common/vscodeApi';

Chart.register(ScatterController, PointElement, LinearScale, LogarithmicScale, Legend, Tooltip);

const SVG = 'http://www.w3.org/2000/svg';
let chart: Chart<'scatter'> | undefined;
let sweep: SweepPageData | undefined;
let trusted = true;
let chosenX: string | undefined = (getState() as Partial<SweepState> | undefined)?.x;

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, ...children: Array<Node | string>): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  node.append(...children);
  return node;
}

const settingLabel = (key: string) => (fieldSpec(key) ? t(fieldSpec(key)!.label) : key);
const metricName = (metric: MetricKey) => t(metricDefinition(metric)?.label ?? metric);

function stateText(state: SweepPageTrial['state']): string {
  switch (state) {
    case 'queued': return t('queued');
    case 'running': return t('running');
    case 'completed': return t('completed');
    case 'pruned': return t('pruned');
    case 'failed': return t('failed');
    case 'cancelled': return t('cancelled');
    case 'interrupted': return t('interrupted');
  }
}

// ---- colours: worst (red) to best (green), from the theme ----

function rgbOf(color: string): [number, number, number] | undefined {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color.trim());
  if (hex) {
    const h = hex[1].length === 3 ? [...hex[1]].map(c => c + c).join('') : hex[1];
    return [0, 2, 4].map(i => parseInt(h.slice(i, i + 2), 16)) as [number, number, number];
  }
  const rgb = /^rgba?\(\s*(\d+)[\s,]+(\d+)[\s,]+(\d+)/i.exec(color.trim());
  return rgb ? [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])] : undefined;
}

function qualityColor(quality: number): string {
  const worst = rgbOf(paletteColor('red')) ?? [241, 76, 76];
  const best = rgbOf(paletteColor('green')) ?? [137, 209, 133];
  const mix = worst.map((w, i) => Math.round(w + (best[i] - w) * quality));
  return `rgb(${mix.join(', ')})`;
}

// ---- parallel coordinates ----

const PLOT = { height: 300, top: 36, bottom: 40, side: 70 };

function axisTicks(axis: SweepAxis): Array<{ at: number; label: string }> {
  if (axis.kind === 'category') return axis.values.map((v, i) => ({ at: axis.values.length === 1 ? 0.5 : i / (axis.values.length - 1), label: v }));
  if (axis.min === axis.max) return [{ at: 0.5, label: formatNumber(axis.min) }];
  const mid = axis.log ? Math.sqrt(axis.min * axis.max) : (axis.min + axis.max) / 2;
  return [{ at: 0, label: formatNumber(axis.min) }, { at: 0.5, label: formatNumber(mid) }, { at: 1, label: formatNumber(axis.max) }];
}

function parallelPlot(data: SweepPageData): SVGSVGElement {
  const axes = settingAxes(data.trials);
  const range = metricRange(data.trials);
  const lines = parallelLines(data.trials, axes, data.metric);
  const count = axes.length + 1;
  // Few axes are spread over about 600 px; many get 150 px each (the plot scrolls sideways).
  const gap = count > 1 ? Math.max(150, Math.min(300, 600 / (count - 1))) : 0;
  const width = PLOT.side * 2 + gap * Math.max(1, count - 1);
  const xAt = (i: number) => (count === 1 ? width / 2 : PLOT.side + i * gap);
  const yAt = (position: number) => PLOT.top + (1 - position) * (PLOT.height - PLOT.top - PLOT.bottom);
  const drawn = lines.filter(l => l.metricPosition !== undefined).length;
  const root = svg('svg', {
    id: 'parallel', viewBox: `0 0 ${width} ${PLOT.height}`, width, height: PLOT.height, role: 'img', tabindex: 0, 'data-lines': drawn, 'data-axes': count,
    'aria-label': t('Parallel coordinates: {0} trials over {1}, coloured by {2} (green best)', drawn, [...axes.map(a => settingLabel(a.key)), metricName(data.metric)].join(', '), metricName(data.metric)),
  });
  const foreground = themeColor('--vscode-foreground', '#ccc');
  const grid = themeColor('--vscode-charts-lines', 'rgba(128,128,128,0.5)');
  const group = svg('g', { class: 'lines' });
  for (const line of lines) {
    const points: string[] = [];
    line.positions.forEach((p, i) => p !== undefined && points.push(`${xAt(i)},${yAt(p)}`));
    if (line.metricPosition !== undefined) points.push(`${xAt(axes.length)},${yAt(line.metricPosition)}`);
    const attrs: Record<string, string | number> = {
      class: `trial state-${line.trial.state}`, points: points.join(' '), fill: 'none', 'stroke-width': 2, 'data-trial': line.trial.trial,
      stroke: line.quality !== undefined ? qualityColor(line.quality) : grid,
    };
    if (line.quality === undefined || line.trial.state !== 'completed') attrs['stroke-dasharray'] = '5 4';
    if (line.trial.metric !== undefined) attrs['data-metric'] = line.trial.metric;
    group.append(svg('polyline', attrs, svg('title', {}, trialSummary(data, line.trial))));
  }
  root.append(group);
  const axisNodes = [...axes.map(a => ({ label: settingLabel(a.key), ticks: axisTicks(a) })), {
    label: metricName(data.metric),
    ticks: range ? [{ at: 0, label: formatMetric(data.metric, range.min) }, { at: 1, label: formatMetric(data.metric, range.max) }] : [],
  }];
  axisNodes.forEach((axis, i) => {
    const x = xAt(i);
    const g = svg('g', { class: 'axis' });
    g.append(svg('line', { x1: x, x2: x, y1: yAt(1), y2: yAt(0), stroke: foreground, 'stroke-width': 1 }));
    g.append(svg('text', { x, y: PLOT.top - 18, 'text-anchor': 'middle', fill: foreground, class: 'axis-label' }, axis.label));
    for (const tick of axis.ticks) {
      g.append(svg('line', { x1: x - 4, x2: x, y1: yAt(tick.at), y2: yAt(tick.at), stroke: foreground }));
      g.append(svg('text', { x: x - 7, y: yAt(tick.at) + 4, 'text-anchor': 'end', fill: foreground, class: 'tick' }, tick.label));
    }
    root.append(g);
  });
  return root;
}

function settingsText(settings: Record<string, unknown>, keys: readonly string[]): string {
  return keys.filter(k => k in settings).map(k => `${settingLabel(k)} = ${formatHyperparameter(settings[k])}`).join(', ');
}

function trialSummary(data: SweepPageData, trial: SweepPageTrial): string {
  const keys = Object.keys(trial.settings);
  return `${t('Trial {0}', trial.trial + 1)} · ${stateText(trial.state)} · ${settingsText(trial.settings, keys)} · ${metricName(data.metric)} ${formatMetric(data.metric, trial.metric)}`;
}

// ---- metric vs one setting ----

/** Draws each mean's ± std as a vertical bar (chart.js has no error bars). */
const errorBars: Plugin<'scatter'> = {
  id: 'errorBars',
  afterDatasetsDraw(target) {
    const meta = target.getDatasetMeta(1);
    const data = target.data.datasets[1]?.data as Array<{ x: number; y: number; std: number }> | undefined;
    if (!meta || !data || meta.hidden) return;
    const y = target.scales.y;
    const ctx = target.ctx;
    ctx.save();
    ctx.strokeStyle = String(target.data.datasets[1].borderColor ?? '#888');
    ctx.lineWidth = 1.5;
    meta.data.forEach((point, i) => {
      const d = data[i];
      if (!d || !Number.isFinite(d.std)) return;
      const top = y.getPixelForValue(d.y + d.std);
      const bottom = y.getPixelForValue(d.y - d.std);
      ctx.beginPath();
      ctx.moveTo(point.x, top);
      ctx.lineTo(point.x, bottom);
      ctx.moveTo(point.x - 5, top);
      ctx.lineTo(point.x + 5, top);
      ctx.moveTo(point.x - 5, bottom);
      ctx.lineTo(point.x + 5, bottom);
      ctx.stroke();
    });
    ctx.restore();
  },
};

/** A numeric axis's range with a margin, so the points at its ends are drawn whole. */
function padded(axis: Extract<SweepAxis, { kind: 'number' }>): { min: number; max: number } {
  if (axis.log) return { min: axis.min / Math.pow(axis.max / axis.min, 0.06), max: axis.max * Math.pow(axis.max / axis.min, 0.06) };
  const pad = (axis.max - axis.min) * 0.06 || Math.abs(axis.min) * 0.1 || 1;
  return { min: axis.min - pad, max: axis.max + pad };
}

function metricVsChart(data: SweepPageData, axes: SweepAxis[]): HTMLElement {
  chart?.destroy();
  chart = undefined;
  if (axes.length === 0) return el('p', { class: 'help' }, t('No setting varies between the trials (seeds only).'));
  const axis = axes.find(a => a.key === chosenX) ?? axes[0];
  const model = metricVsSetting(data.trials, axis);
  const select = el('select', { id: 'metric-vs', 'aria-label': t('Setting on the horizontal axis') });
  for (const a of axes) select.append(el('option', { value: a.key, ...(a.key === axis.key ? { selected: '' } : {}) }, settingLabel(a.key)));
  select.addEventListener('change', () => {
    chosenX = select.value;
    saveState();
    render();
    document.getElementById('metric-vs')?.focus();
  });
  const described = model.means.map(m => `${axis.kind === 'category' ? axis.values[m.x] : formatNumber(m.x)}: ${formatMetric(data.metric, m.mean)} ± ${formatMetric(data.metric, m.std)} (n=${m.n})`).join('; ');
  const canvas = el('canvas', {
    id: 'metric-vs-chart', role: 'img', tabindex: '0', 'data-points': String(model.points.length), 'data-means': String(model.means.length),
    'aria-label': t('{0} of each run against {1}; mean ± std over seeds: {2}', metricName(data.metric), settingLabel(axis.key), described || t('none completed yet')),
  });
  const percent = metricDefinition(data.metric)?.unit === 'fraction';
  const yTick = (value: number) => (percent ? `${Math.round(value * 1000) / 10} %` : formatNumber(value));
  chart = new Chart<'scatter'>(canvas, {
    type: 'scatter',
    data: {
      datasets: [
        { label: t('Runs'), data: model.points.map(p => ({ x: p.x, y: p.y })), pointRadius: 4 },
        { label: t('Mean ± std over seeds'), data: model.means.map(m => ({ x: m.x, y: m.mean, std: m.std })), pointRadius: 6, pointStyle: 'rectRot' },
      ],
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      plugins: { legend: { display: true }, tooltip: { callbacks: { label: item => `${item.dataset.label}: ${formatMetric(data.metric, item.parsed.y ?? NaN)}` } } },
      scales: {
        x: axis.kind === 'category'
          ? { type: 'linear', min: -0.5, max: axis.values.length - 0.5, title: { display: true, text: settingLabel(axis.key) }, ticks: { stepSize: 1, callback: value => axis.values[Number(value)] ?? '' } }
          : { type: axis.log ? 'logarithmic' : 'linear', ...padded(axis), title: { display: true, text: settingLabel(axis.key) }, ticks: { maxTicksLimit: 6, callback: value => formatNumber(Number(value)) } },
        y: { type: 'linear', title: { display: true, text: metricName(data.metric) }, ticks: { maxTicksLimit: 6, callback: value => yTick(Number(value)) } },
      },
    },
    plugins: [errorBars],
  });
  applyTheme();
  return el('div', {}, el('label', { for: 'metric-vs' }, t('{0} against', metricName(data.metric)), ' ', select), el('div', { class: 'canvas-box' }, canvas));
}

function applyTheme(): void {
  if (!chart) return;
  const fg = themeColor('--vscode-charts-foreground', themeColor('--vscode-foreground', '#ccc'));
  const lines = themeColor('--vscode-charts-lines', 'rgba(128,128,128,0.3)');
  const [runs, means] = chart.data.datasets;
  runs.backgroundColor = runs.borderColor = paletteColor('blue');
  means.backgroundColor = means.borderColor = paletteColor('orange');
  applyAxisColors(chart, fg, lines);
  chart.update('none');
}

// ---- the page ----

function trialsTable(data: SweepPageData, axes: SweepAxis[], best: SweepPageTrial | undefined): HTMLElement {
  const keys = axes.map(a => a.key);
  const table = el('table', { id: 'trials', class: 'trials' });
  table.append(el('caption', {}, t('Trials')));
  table.append(el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, '#'), el('th', { scope: 'col' }, t('State')),
    ...keys.map(k => el('th', { scope: 'col' }, settingLabel(k))), el('th', { scope: 'col' }, t('Seed')),
    el('th', { scope: 'col', class: 'num' }, t('Best {0}', metricName(data.metric))), el('th', { scope: 'col' }, el('span', { class: 'visually-hidden' }, t('Actions'))))));
  const body = el('tbody');
  for (const trial of data.trials) {
    const isBest = best?.trial === trial.trial;
    const open = trial.runDir ? el('button', { type: 'button', class: 'open', 'aria-label': t('Open the dashboard of trial {0}', trial.trial + 1) }, t('Dashboard')) : undefined;
    open?.addEventListener('click', () => post({ type: 'open', runDir: trial.runDir! }));
    const row = el('tr', { 'data-trial': String(trial.trial), class: isBest ? 'best' : '', ...(isBest ? { 'aria-description': t('best trial') } : {}) },
      el('td', {}, String(trial.trial + 1)), el('td', {}, el('span', { class: `state state-${trial.state}` }, stateText(trial.state))),
      ...keys.map(k => el('td', {}, formatHyperparameter(trial.settings[k]))), el('td', {}, formatHyperparameter(trial.settings.seed)),
      el('td', { class: 'num' }, formatMetric(data.metric, trial.metric)), el('td', {}, open));
    const highlight = (on: boolean) => document.querySelector(`#parallel polyline[data-trial="${trial.trial}"]`)?.classList.toggle('highlight', on);
    row.addEventListener('mouseenter', () => highlight(true));
    row.addEventListener('mouseleave', () => highlight(false));
    row.addEventListener('focusin', () => highlight(true));
    row.addEventListener('focusout', () => highlight(false));
    body.append(row);
  }
  table.append(body);
  return el('div', { class: 'table-scroll', role: 'region', 'aria-label': t('Trials'), tabindex: '0' }, table);
}

function render(): void {
  const data = sweep;
  if (!data) return;
  const axes = settingAxes(data.trials);
  const progress = sweepProgress(data.trials);
  const best = bestTrial(data.trials, data.metric);
  const finished = progress.completed + progress.pruned + progress.other;
  const lower = metricDefinition(data.metric)?.lowerIsBetter;
  const trainBest = el('button', { type: 'button', id: 'train-best', class: 'primary' }, t('Train with the best settings'));
  if (!best || !trusted) trainBest.setAttribute('disabled', '');
  trainBest.addEventListener('click', () => best && post({ type: 'trainBest', runDir: best.trial.runDir! }));
  const bestText = best
    ? t('Best setting: {0} — {1} {2} ± {3} over {4} seed(s); best trial {5}', settingsText(best.group.settings, Object.keys(best.group.settings)) || t('(seeds only)'), metricName(data.metric),
      formatMetric(data.metric, best.group.mean), formatMetric(data.metric, best.group.std), best.group.n, best.trial.trial + 1)
    : t('No trial has completed yet.');
  // A live update redraws the page: the focus stays where it was.
  const active = document.activeElement as HTMLElement | null;
  const focusId = active && active !== document.body ? active.id : '';
  const focusTrial = active?.closest('tr')?.getAttribute('data-trial');
  showContent(
    el('h1', {}, t('Sweep {0}', data.id)),
    el('section', { 'aria-labelledby': 'progress-heading' },
      el('h2', { id: 'progress-heading' }, t('Progress')),
      el('progress', { id: 'progress', max: String(Math.max(1, progress.total)), value: String(finished), 'aria-label': t('{0} of {1} trials finished', finished, progress.total) }),
      el('p', { id: 'progress-text', 'aria-live': 'polite' }, t('{0} trials: {1} completed · {2} running · {3} queued · {4} pruned · {5} failed or stopped', progress.total, progress.completed, progress.running, progress.queued, progress.pruned, progress.other)),
      el('p', { class: 'help' }, t('Metric: validation {0} ({1} is better), the best value of all evaluations of a trial.', metricName(data.metric), lower ? t('lower') : t('higher')))),
    el('section', { 'aria-labelledby': 'best-heading' }, el('h2', { id: 'best-heading' }, t('Best settings')), el('p', { id: 'best' }, bestText), el('p', {}, trainBest)),
    el('div', { class: 'plots' },
      el('section', { 'aria-labelledby': 'parallel-heading' }, el('h2', { id: 'parallel-heading' }, t('Parallel coordinates')),
        el('div', { class: 'plot-scroll' }, parallelPlot(data)),
        el('p', { class: 'help' }, t('One line per trial through its settings to its metric; green is best, red worst; dashed: not completed (running, pruned or failed).'))),
      el('section', { 'aria-labelledby': 'vs-heading' }, el('h2', { id: 'vs-heading' }, t('Metric against one setting')), metricVsChart(data, axes))),
    el('section', { 'aria-labelledby': 'trials-heading' }, el('h2', { id: 'trials-heading', class: 'visually-hidden' }, t('Trials')), trialsTable(data, axes, best?.trial)),
  );
  if (focusId) document.getElementById(focusId)?.focus();
  else if (focusTrial) (document.querySelector(`#trials tr[data-trial="${focusTrial}"] button`) as HTMLElement | null)?.focus();
  document.body.dataset.ready = 'true';
  document.body.dataset.trials = String(progress.total);
}

function saveState(): void {
  if (!sweep) return;
  const state: SweepState = { sweepId: sweep.id, ...(chosenX ? { x: chosenX } : {}) };
  setState(state);
}

onThemeChange(() => render());
onHostMessage<HostToSweepMessage>(message => {
  if (message.type === 'sweep') {
    useL10nBundle(message.l10n);
    sweep = message.sweep;
    trusted = message.trusted;
    saveState();
    render();
  } else if (message.type === 'failed') {
    showContent(el('p', { class: 'error', role: 'alert', id: 'failure' }, message.message));
    document.body.dataset.ready = 'failed';
  }
});
post({ type: 'ready' });
