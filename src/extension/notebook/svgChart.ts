/**
 * A tiny line-chart SVG generator for exports (Markdown, .ipynb), where no browser is there to
 * run chart.js. Linear scales over the data's own range, so the path coordinates can be
 * worked out by hand (see test/unit/extension/notebook/svgChart.test.ts).
 */
import type { ChartSpec, Point, SeriesSpec } from '../../shared/experimentLog/runCharts';

export const CHART_WIDTH = 480;
export const CHART_HEIGHT = 240;
/** Room for the title (top), the y tick labels (left) and the x tick labels (bottom). */
export const CHART_MARGIN = { left: 48, right: 16, top: 28, bottom: 36 };

/** The theme colours' light-theme values, since an exported image has no theme. */
const COLORS: Record<SeriesSpec['color'], string> = { blue: '#1a85ff', red: '#e51400', green: '#388a34', orange: '#d18616', purple: '#652d90', yellow: '#bf8803', foreground: '#333333' };

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Min and max of the values; a flat series gets a range of ±1 around its value so it has a height. */
export function extent(values: number[]): [number, number] {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return lo === hi ? [lo - 1, hi + 1] : [lo, hi];
}

/** Two decimals: sub-pixel precision, and short, stable text. */
export function coordinate(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** `M x,y L x,y …` of the points mapped from the data domains into `box` (y grows downwards in SVG). */
export function linePath(points: Point[], xDomain: [number, number], yDomain: [number, number], box: Box): string {
  const x = (v: number) => box.left + ((v - xDomain[0]) / (xDomain[1] - xDomain[0])) * box.width;
  const y = (v: number) => box.top + box.height - ((v - yDomain[0]) / (yDomain[1] - yDomain[0])) * box.height;
  return points.map(([px, py], i) => `${i === 0 ? 'M' : 'L'}${coordinate(x(px))},${coordinate(y(py))}`).join('');
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, c => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string);
}

function label(value: number): string {
  return Math.abs(value) >= 100 || Number.isInteger(value) ? String(Math.round(value)) : value.toPrecision(3);
}

export function lineChartSvg(chart: ChartSpec, width = CHART_WIDTH, height = CHART_HEIGHT): string {
  const box: Box = { left: CHART_MARGIN.left, top: CHART_MARGIN.top, width: width - CHART_MARGIN.left - CHART_MARGIN.right, height: height - CHART_MARGIN.top - CHART_MARGIN.bottom };
  const all = chart.series.flatMap(s => s.points);
  const xDomain = extent(all.map(p => p[0]));
  const yDomain = extent(all.map(p => p[1]));
  const bottom = box.top + box.height;
  const right = box.left + box.width;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${box.left}" y="16" font-size="13" font-weight="bold" fill="#333333">${escapeXml(chart.title)} <tspan font-weight="normal" fill="#666666">(${escapeXml(chart.yLabel)})</tspan></text>`,
    `<path d="M${box.left},${box.top}V${bottom}H${right}" fill="none" stroke="#999999"/>`,
    `<text x="${box.left - 4}" y="${box.top + 4}" text-anchor="end" fill="#666666">${label(yDomain[1])}</text>`,
    `<text x="${box.left - 4}" y="${bottom}" text-anchor="end" fill="#666666">${label(yDomain[0])}</text>`,
    `<text x="${box.left}" y="${bottom + 14}" fill="#666666">${label(xDomain[0])}</text>`,
    `<text x="${right}" y="${bottom + 14}" text-anchor="end" fill="#666666">${label(xDomain[1])}</text>`,
    `<text x="${box.left + box.width / 2}" y="${bottom + 14}" text-anchor="middle" fill="#666666">step</text>`,
  ];
  chart.series.forEach((series, i) => {
    const color = COLORS[series.color];
    // A single point has no line to draw; a dot shows it.
    if (series.points.length === 1) {
      const [cx, cy] = linePath(series.points, xDomain, yDomain, box).slice(1).split(',');
      parts.push(`<circle cx="${cx}" cy="${cy}" r="3" fill="${color}"/>`);
    } else {
      parts.push(`<path d="${linePath(series.points, xDomain, yDomain, box)}" fill="none" stroke="${color}" stroke-width="1.5"/>`);
    }
    const legendX = box.left + i * 140;
    parts.push(`<rect x="${legendX}" y="${height - 12}" width="10" height="3" fill="${color}"/>`, `<text x="${legendX + 14}" y="${height - 8}" fill="#333333">${escapeXml(series.name)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}
