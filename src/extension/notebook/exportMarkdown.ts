/**
 * Exports a log to Markdown that reads well anywhere: the user's notes verbatim, each run's
 * summary, its charts as embedded SVG images (data URIs) with the evaluation numbers as a
 * table for viewers that block data URIs, and the sample predictions with token diffs.
 */
import { metricLabel, METRICS } from '../../shared/metrics';
import type { LogDocument, RunCell } from '../../shared/experimentLog/types';
import { runCharts } from '../../shared/experimentLog/runCharts';
import { metricOfShape, metricText, runShape, runSummaryMarkdown, samplesMarkdown, targetUnit } from '../../shared/experimentLog/runMarkdown';
import { lineChartSvg } from './svgChart';

export function svgDataUri(svg: string): string {
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}

function num(value: number | null | undefined, digits: number): string {
  return value === null || value === undefined ? '–' : value.toFixed(digits);
}

/** Every evaluation of the run, one row each: the metrics its log holds (not perplexity: the loss says it). */
export function evaluationTable(run: RunCell): string {
  const rows = run.metricsHistory.filter(p => p.valid);
  if (rows.length === 0) return '';
  const shape = runShape(run);
  const columns = METRICS.filter(m => m.key !== 'perplexity' && metricOfShape(m.key, shape) && rows.some(p => p.valid![m.key] !== undefined));
  const unit = targetUnit(run);
  return [
    `| Step | Epoch | Train loss | ${columns.map(m => (m.key === 'loss' ? 'Valid loss' : metricLabel(m.key, unit, shape))).join(' | ')} |`,
    `|${' ---: |'.repeat(columns.length + 3)}`,
    ...rows.map(p => `| ${p.step} | ${p.epoch} | ${num(p.trainLoss, 4)} | ${columns.map(m => metricText(m.key, p.valid![m.key])).join(' | ')} |`),
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
