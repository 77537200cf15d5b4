/**
 * The heatmap itself: a chart.js matrix chart (chartjs-chart-matrix), output tokens as rows
 * (top to bottom) and source tokens as columns, each cell shaded by its weight in the theme's
 * chart colour. Hover (or keyboard focus) shows an HTML tooltip with both tokens, the weight and
 * the output token's probability; clicking a row (a cell or its label) reports the row.
 *
 * The canvas is one tab stop: arrow keys move a focus cell, Home/End jump within the row,
 * Enter/Space "click" the focused row; the focused cell is described in a live region.
 */
import { Chart, LinearScale, type ChartConfiguration, type Scale } from 'chart.js';
import { MatrixController, MatrixElement } from 'chartjs-chart-matrix';
import { themeColor, themeKind } from '../common/dom';
import { t } from '../common/l10n';
import { argmaxes, displayToken, hasAttention, labelledPositions, percent, signature, type MapView, type MatrixPoint } from './heatmap';

Chart.register(MatrixController, MatrixElement, LinearScale);

interface Colours {
  cell: [number, number, number];
  max: string;
  focus: string;
  text: string;
  muted: string;
  background: string;
  grid: string;
  font: string;
}

/** Any CSS colour (hex, rgb(), a variable's value) as [r, g, b] through the browser's own parser. */
function rgbOf(cssColour: string): [number, number, number] {
  const probe = document.createElement('span');
  probe.style.color = cssColour;
  probe.hidden = true;
  document.body.append(probe);
  const computed = getComputedStyle(probe).color;
  probe.remove();
  const [r = 55, g = 148, b = 255] = (computed.match(/[\d.]+/g) ?? []).map(Number);
  return [r, g, b];
}

function themeColours(): Colours {
  const contrast = themeKind().startsWith('high-contrast');
  const text = themeColor('--vscode-foreground', '#cccccc');
  return {
    cell: rgbOf(themeColor('--vscode-charts-blue', '#3794ff')),
    max: themeColor('--vscode-charts-orange', '#d18616'),
    focus: themeColor('--vscode-focusBorder', '#007fd4'),
    text,
    muted: themeColor('--vscode-descriptionForeground', text),
    background: themeColor('--vscode-editor-background', '#1e1e1e'),
    grid: contrast ? themeColor('--vscode-contrastBorder', text) : themeColor('--vscode-charts-lines', 'rgba(128,128,128,0.35)'),
    font: themeColor('--vscode-editor-font-family', 'monospace'),
  };
}

/** Largest map that still gets per-row maximum outlines (beyond it they are noise). */
const OUTLINE_LIMIT = 2500;
/** Shades of the cell colour (weights are rounded to one of them; the tooltip shows the exact value). */
const LEVELS = 32;
/** Canvas padding around the plot and axes, px. */
const PAD = 6;

/** A run of neighbouring cells of one row with the same shade; `x` is its centre column. */
interface Run extends MatrixPoint {
  n: number;
}

/** The shade (0 … LEVELS-1) of a weight. */
function shade(weight: number): number {
  const w = Number.isFinite(weight) ? Math.max(0, Math.min(1, weight)) : 0;
  return Math.round(w * (LEVELS - 1));
}

interface Layout {
  /** Height of the source-token axis (top) and width of the output-token axis (left), px. */
  xAxis: number;
  yAxis: number;
  /** Side of one cell, px. */
  cell: number;
}

export interface HeatmapEvents {
  /** A row was clicked (or chosen with Enter/Space). */
  onRow(row: number): void;
  /** The focused cell changed (keyboard): its description. */
  onFocusCell(description: string): void;
}

export class Heatmap {
  private chart: Chart<'matrix', MatrixPoint[]> | undefined;
  private view: MapView | undefined;
  private best: number[] = [];
  private colours = themeColours();
  private focus: { row: number; col: number } | undefined;

  constructor(
    private readonly box: HTMLElement,
    private readonly canvas: HTMLCanvasElement,
    private readonly tooltip: HTMLElement,
    private readonly events: HeatmapEvents,
  ) {
    canvas.addEventListener('keydown', e => this.onKey(e));
    canvas.addEventListener('mousemove', e => this.onPointerMove(e));
    canvas.addEventListener('mouseleave', () => {
      if (!this.focus) this.hideTooltip();
    });
    canvas.addEventListener('click', e => this.onPointerClick(e));
    canvas.addEventListener('blur', () => this.hideTooltip());
  }

  /** Draws `view` (a new chart each time: the axes change with the tokens). */
  show(view: MapView): void {
    this.view = view;
    this.best = argmaxes(view.attention);
    this.focus = undefined;
    this.hideTooltip();
    this.chart?.destroy();
    this.chart = undefined;
    const rows = view.tokens.length;
    const cols = view.sourceTokens.length;
    this.canvas.dataset.rows = String(rows);
    this.canvas.dataset.cols = String(cols);
    this.canvas.dataset.signature = signature(view.attention);
    this.canvas.setAttribute('aria-label', t('Attention heatmap of “{0}” → “{1}”: {2} output tokens (rows) by {3} source tokens (columns)', view.source, view.output, rows, cols));
    if (!hasAttention(view) || rows === 0 || cols === 0) {
      this.box.hidden = true;
      this.canvas.dataset.xLabels = '[]';
      this.canvas.dataset.yLabels = '[]';
      return;
    }
    this.box.hidden = false;
    const started = performance.now();
    // Square-ish cells, 4–36 px, as many as fit the panel's width; a fixed-size canvas (the box
    // scrolls when the map is larger) so every cell has the same size, known before drawing.
    const available = Math.max(240, this.box.parentElement?.clientWidth ?? 600);
    const longestSource = Math.max(1, ...view.sourceTokens.map(t => displayToken(t).length));
    const longestOutput = Math.max(1, ...view.tokens.map(t => displayToken(t).length));
    const layout: Layout = {
      xAxis: Math.min(150, 44 + 7 * longestSource),
      yAxis: Math.min(140, 34 + 7 * longestOutput),
      cell: 0,
    };
    layout.cell = Math.max(4, Math.min(36, Math.floor((available - layout.yAxis - 2 * PAD) / cols)));
    const width = cols * layout.cell + layout.yAxis + 2 * PAD;
    const height = rows * layout.cell + layout.xAxis + 2 * PAD;
    this.box.style.width = `${width}px`;
    this.box.style.height = `${height}px`;
    this.canvas.width = width;
    this.canvas.height = height;
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${height}px`;
    this.chart = new Chart(this.canvas, this.config(view, layout));
    this.publishLabels();
    const area = this.chart.chartArea;
    this.canvas.dataset.area = [area.left, area.top, area.right, area.bottom].map(v => v.toFixed(1)).join(',');
    this.canvas.dataset.renderMs = (performance.now() - started).toFixed(1);
  }

  /** Re-reads the theme's colours and redraws (VS Code switched theme). */
  refreshTheme(): void {
    this.colours = themeColours();
    if (this.view) this.show(this.view);
  }

  /** The map as a PNG data URL (the chart paints its own theme background). */
  toPng(): string | undefined {
    return this.chart ? this.chart.toBase64Image('image/png', 1) : undefined;
  }

  destroy(): void {
    this.chart?.destroy();
    this.chart = undefined;
  }

  /**
   * One dataset per shade (LEVELS of them) plus overlays for the row maxima and the keyboard
   * focus. Every dataset's options are constants, so chart.js resolves them once per dataset
   * and shares them among its cells: a 200 × 200 map stays fast.
   */
  private config(view: MapView, layout: Layout): ChartConfiguration<'matrix', MatrixPoint[]> {
    const c = this.colours;
    const rows = view.tokens.length;
    const cols = view.sourceTokens.length;
    const outline = rows * cols <= OUTLINE_LIMIT;
    const [r, g, b] = c.cell;
    const font = { family: c.font, size: 12 };
    const gap = layout.cell >= 12 ? 1 : 0;
    const size = { width: Math.max(1, layout.cell - gap), height: Math.max(1, layout.cell - gap), anchorX: 'center' as const, anchorY: 'center' as const };
    const axis = (count: number, labels: string[], title: string, vertical: boolean) => ({
      type: 'linear' as const,
      min: -0.5,
      max: count - 0.5,
      reverse: vertical,
      position: vertical ? ('left' as const) : ('top' as const),
      offset: false,
      grid: { display: false },
      border: { color: c.grid },
      title: { display: true, text: title, color: c.muted, font: { size: 12 } },
      ticks: {
        color: c.text,
        font,
        autoSkip: false,
        maxRotation: vertical ? 0 : 90,
        minRotation: 0,
        callback: (value: string | number) => (Number.isInteger(Number(value)) ? displayToken(labels[Number(value)] ?? '') : ''),
      },
      afterBuildTicks: (scale: Scale) => {
        scale.ticks = labelledPositions(count, count * layout.cell).map(value => ({ value }));
      },
      // Fixed axis sizes, so the plot area (and so each cell) has exactly the size computed above.
      afterFit: (scale: Scale) => {
        if (vertical) scale.width = layout.yAxis;
        else scale.height = layout.xAxis;
      },
    });
    // Neighbouring cells of a row with the same shade are drawn as one wider element (a run):
    // far fewer elements on large, mostly-faint maps; hover and the tooltip work per cell anyway.
    const buckets: Run[][] = Array.from({ length: LEVELS }, () => []);
    const maxima: MatrixPoint[] = [];
    view.attention.forEach((row, y) => {
      let start = 0;
      for (let x = 1; x <= row.length; x++) {
        if (x < row.length && shade(row[x]) === shade(row[start])) continue;
        buckets[shade(row[start])].push({ x: (start + x - 1) / 2, y, v: row[start], n: x - start });
        start = x;
      }
      if (outline && this.best[y] >= 0) maxima.push({ x: this.best[y], y, v: row[this.best[y]] });
    });
    const cellSize = (n: number) => Math.max(1, n * layout.cell - gap);
    // Per shade, single cells (constant options: chart.js resolves them once and shares them)
    // apart from longer runs (whose width is computed per element).
    const datasets: ChartConfiguration<'matrix', MatrixPoint[]>['data']['datasets'] = [];
    buckets.forEach((runs, level) => {
      const backgroundColor = `rgba(${r}, ${g}, ${b}, ${Math.max(0.03, level / (LEVELS - 1)).toFixed(3)})`;
      const singles = runs.filter(run => run.n === 1);
      const longer = runs.filter(run => run.n > 1);
      const common = { parsing: false as const, normalized: true, backgroundColor, borderWidth: 0, ...size };
      if (singles.length) datasets.push({ label: `attention ${level}`, data: singles, ...common });
      if (longer.length) datasets.push({ label: `attention ${level} (runs)`, data: longer, ...common, width: ctx => cellSize((ctx.raw as Run | undefined)?.n ?? 1) });
    });
    datasets.push(
      { label: 'row maximum', data: maxima, parsing: false, normalized: true, backgroundColor: 'transparent', borderColor: c.max, borderWidth: 2, ...size },
      { label: 'focus', data: [], parsing: false, normalized: true, backgroundColor: 'transparent', borderColor: c.focus, borderWidth: 3, ...size },
    );
    return {
      type: 'matrix',
      data: { datasets },
      options: {
        animation: false,
        responsive: false,
        maintainAspectRatio: false,
        devicePixelRatio: Math.max(1, window.devicePixelRatio || 1),
        layout: { padding: PAD },
        // Pointer events are handled here (cellAt), not by chart.js: hovering never redraws the map.
        events: [],
        scales: {
          x: axis(cols, view.sourceTokens, t('Source tokens'), false),
          y: axis(rows, view.tokens, t('Output tokens'), true),
        },
        plugins: { legend: { display: false }, tooltip: { enabled: false } },
      },
      plugins: [
        {
          id: 'themeBackground',
          beforeDraw: chart => {
            const ctx = chart.ctx;
            ctx.save();
            ctx.fillStyle = this.colours.background;
            ctx.fillRect(0, 0, chart.width, chart.height);
            ctx.restore();
          },
        },
      ],
    };
  }

  /** The labels chart.js drew on each axis, on the canvas for tests and assistive tooling. */
  private publishLabels(): void {
    const chart = this.chart;
    if (!chart) return;
    const labels = (scale: Scale) => scale.ticks.map(t => String(t.label ?? ''));
    this.canvas.dataset.xLabels = JSON.stringify(labels(chart.scales.x));
    this.canvas.dataset.yLabels = JSON.stringify(labels(chart.scales.y));
  }

  describe(row: number, col: number): string {
    const view = this.view;
    if (!view) return '';
    const weight = view.attention[row]?.[col];
    return t('Output “{0}” ← source “{1}”: weight {2}; p(output) {3}', displayToken(view.tokens[row] ?? ''), displayToken(view.sourceTokens[col] ?? ''), weight === undefined ? '–' : weight.toFixed(3), percent(view.probabilities[row] ?? NaN));
  }

  /** Moves the focus outline (the last dataset) to the focused cell. */
  private drawFocus(): void {
    const chart = this.chart;
    if (!chart) return;
    const focus = chart.data.datasets[chart.data.datasets.length - 1];
    focus.data = this.focus ? [{ x: this.focus.col, y: this.focus.row, v: this.view?.attention[this.focus.row]?.[this.focus.col] ?? 0 }] : [];
    chart.update('none');
  }

  /** The cell under a pointer position (offset in the canvas); `col` is -1 left of the plot (row labels). */
  private cellAt(x: number, y: number): { row: number; col: number } | undefined {
    const chart = this.chart;
    const view = this.view;
    if (!chart || !view) return undefined;
    const area = chart.chartArea;
    if (y < area.top || y > area.bottom || x > area.right) return undefined;
    const row = Math.round(chart.scales.y.getValueForPixel(y) ?? NaN);
    if (!(row >= 0 && row < view.tokens.length)) return undefined;
    if (x < area.left) return { row, col: -1 };
    const col = Math.round(chart.scales.x.getValueForPixel(x) ?? NaN);
    return col >= 0 && col < view.sourceTokens.length ? { row, col } : undefined;
  }

  private onPointerMove(event: MouseEvent): void {
    const cell = this.cellAt(event.offsetX, event.offsetY);
    if (!cell || cell.col < 0) {
      if (!this.focus) this.hideTooltip();
      return;
    }
    this.showTooltip(cell.row, cell.col, event.offsetX, event.offsetY);
  }

  private onPointerClick(event: MouseEvent): void {
    const cell = this.cellAt(event.offsetX, event.offsetY);
    if (cell) this.events.onRow(cell.row);
  }

  private showTooltip(row: number, col: number, x: number, y: number): void {
    const view = this.view;
    if (!view) return;
    const line = (label: string, value: string, id: string) => {
      const p = document.createElement('div');
      const b = document.createElement('b');
      // The label's colon as the language writes it ("Source: ", "源文本："); the value follows in its span.
      b.textContent = t('{0}: {1}', label, '');
      const span = document.createElement('span');
      span.className = id;
      span.textContent = value;
      p.append(b, span);
      return p;
    };
    this.tooltip.replaceChildren(
      line(t('Source'), displayToken(view.sourceTokens[col] ?? ''), 'tip-source'),
      line(t('Output'), displayToken(view.tokens[row] ?? ''), 'tip-output'),
      line(t('Weight'), (view.attention[row]?.[col] ?? NaN).toFixed(3), 'tip-weight'),
      line(t('p(output)'), percent(view.probabilities[row] ?? NaN), 'tip-probability'),
    );
    this.tooltip.hidden = false;
    const left = Math.min(x + 12, this.box.clientWidth - this.tooltip.offsetWidth - 4);
    this.tooltip.style.left = `${Math.max(0, left)}px`;
    const top = y + 12 + this.tooltip.offsetHeight > this.box.clientHeight ? y - 12 - this.tooltip.offsetHeight : y + 12;
    this.tooltip.style.top = `${Math.max(0, top)}px`;
    this.tooltip.dataset.row = String(row);
    this.tooltip.dataset.col = String(col);
  }

  private hideTooltip(): void {
    this.tooltip.hidden = true;
  }

  private onKey(event: KeyboardEvent): void {
    const view = this.view;
    const chart = this.chart;
    if (!view || !chart) return;
    const lastRow = view.tokens.length - 1;
    const lastCol = view.sourceTokens.length - 1;
    const { row, col } = this.focus ?? { row: 0, col: Math.max(0, this.best[0] ?? 0) };
    let next: { row: number; col: number } | undefined;
    switch (event.key) {
      case 'ArrowRight': next = { row, col: Math.min(lastCol, col + (this.focus ? 1 : 0)) }; break;
      case 'ArrowLeft': next = { row, col: Math.max(0, col - (this.focus ? 1 : 0)) }; break;
      case 'ArrowDown': next = { row: Math.min(lastRow, row + (this.focus ? 1 : 0)), col }; break;
      case 'ArrowUp': next = { row: Math.max(0, row - (this.focus ? 1 : 0)), col }; break;
      case 'Home': next = { row, col: 0 }; break;
      case 'End': next = { row, col: lastCol }; break;
      case 'Enter':
      case ' ':
        event.preventDefault();
        this.events.onRow(row);
        return;
      case 'Escape':
        this.focus = undefined;
        this.hideTooltip();
        this.drawFocus();
        return;
      default:
        return;
    }
    event.preventDefault();
    this.focus = next;
    this.drawFocus();
    const x = chart.scales.x.getPixelForValue(next.col);
    const y = chart.scales.y.getPixelForValue(next.row);
    this.showTooltip(next.row, next.col, x, y);
    this.events.onFocusCell(this.describe(next.row, next.col));
  }
}
