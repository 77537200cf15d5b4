/**
 * Exports a log to Markdown that reads well anywhere: the user's notes verbatim, each run's
 * summary, its charts as embedded SVG images (data URIs) with the evaluation numbers as a
 * table for viewers that block data URIs, and the sample predictions with token diffs.
 */
import type { LogDocument, RunCell } from './format';
import { runCharts } from './runCharts';
import { runSummaryMarkdown, samplesMarkdown } from './runMarkdown';
import { lineChartSvg } from './svgChart';

export function svgDataUri(svg: string): string {
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}

function num(value: number | null | undefined, digits: number): string {
  return value === null || value === undefined ? '–' : value.toFixed(digits);
}

/** Every evaluation of the run, one row each. */
export function evaluationTable(run: RunCell): string {
  const rows = run.metricsHistory.filter(p => p.valid);
  if (rows.length === 0) return '';
  return [
    '| Step | Epoch | Train loss | Valid loss | Exact match % | Token accuracy % | BLEU | chrF |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(p => {
      const v = p.valid!;
      const pct = (x: number | null) => (x === null ? '–' : (x * 100).toFixed(1));
      return `| ${p.step} | ${p.epoch} | ${num(p.trainLoss, 4)} | ${num(v.loss, 4)} | ${pct(v.exactMatch)} | ${pct(v.tokenAccuracy)} | ${num(v.bleu, 2)} | ${num(v.chrf, 2)} |`;
    }),
  ].join('\n');
}

export function runMarkdownExport(run: RunCell): string {
  const parts = [runSummaryMarkdown(run)];
  for (const chart of runCharts(run)) parts.push(`![${chart.title}](${svgDataUri(lineChartSvg(chart))})`);
  const table = evaluationTable(run);
  if (table) parts.push(`<details><summary>Evaluations</summary>\n\n${table}\n\n</details>`);
  const samples = samplesMarkdown(run);
  if (samples) parts.push(samples);
  return parts.join('\n\n');
}

export function exportMarkdown(document: LogDocument): string {
  const blocks = document.cells.map(cell => {
    switch (cell.kind) {
      case 'markdown':
        return cell.source;
      case 'code': {
        // A fence longer than any backtick run inside, so the code cannot end it early.
        const fence = '`'.repeat(Math.max(3, ...[...cell.source.matchAll(/`+/g)].map(m => m[0].length + 1)));
        return `${fence}${cell.language}\n${cell.source}\n${fence}`;
      }
      case 'run':
        return runMarkdownExport(cell);
    }
  });
  return blocks.join('\n\n') + '\n';
}
