/**
 * Theme colours for chart.js charts (dashboard, run comparison, notebook renderer): the
 * `--vscode-charts-*` palette (a metric's colour comes from METRICS) and text and grid of both axes.
 */
import type { Chart } from 'chart.js';
import type { MetricDefinition } from '../../src/shared/metrics';
import { themeColor } from './dom';

export type PaletteColor = MetricDefinition['color'];

/** Used when the theme does not define the variable (VS Code's dark defaults). */
const FALLBACK: Record<PaletteColor, string> = {
  blue: '#3794ff', red: '#f14c4c', green: '#89d185', yellow: '#cca700', orange: '#d18616', purple: '#b180d7', foreground: '#cccccc',
};

/** The theme's colour of a palette entry. */
export function paletteColor(name: PaletteColor): string {
  return themeColor(`--vscode-charts-${name}`, FALLBACK[name] ?? '#888888');
}

/** Sets the legend/tick/title colour to `foreground` and the grid to `grid`; call chart.update() after. */
export function applyAxisColors(chart: Chart, foreground: string, grid: string): void {
  const options = chart.options;
  options.color = foreground;
  for (const axis of ['x', 'y'] as const) {
    const scale = options.scales?.[axis];
    if (!scale) continue;
    scale.grid = { ...scale.grid, color: grid };
    scale.ticks = { ...scale.ticks, color: foreground };
    const title = (scale as { title?: { color?: string } }).title;
    if (title) title.color = foreground;
  }
}
