/** Theme colours for chart.js charts (dashboard, run comparison): text and grid of both axes. */
import type { Chart } from 'chart.js';

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
