/**
 * Exports a log as a Jupyter notebook (nbformat 4.4) for reading in Jupyter, GitHub or any
 * .ipynb viewer: the user's notes as markdown cells, and per run a markdown cell (summary,
 * samples) and a code cell holding its recipe with the charts as SVG image outputs.
 */
import type { LogCell, LogDocument, RunCell } from '../../shared/experimentLog/types';
import { runCharts } from '../../shared/experimentLog/runCharts';
import { runSummaryMarkdown, samplesMarkdown } from '../../shared/experimentLog/runMarkdown';
import { generatedRecipe } from '../../shared/experimentLog/runRecipe';
import { evaluationTable } from './exportMarkdown';
import { lineChartSvg } from './svgChart';

interface IpynbCell {
  cell_type: 'markdown' | 'code';
  metadata: Record<string, unknown>;
  source: string[];
  execution_count?: null;
  outputs?: Array<{ output_type: 'display_data'; data: Record<string, string[]>; metadata: Record<string, unknown> }>;
}

/** nbformat's multiline strings: lines that keep their own line endings (CRLF included). */
export function sourceLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

function markdownCell(text: string): IpynbCell {
  return { cell_type: 'markdown', metadata: {}, source: sourceLines(text) };
}

function runCells(run: RunCell): IpynbCell[] {
  const text = [runSummaryMarkdown(run), evaluationTable(run), samplesMarkdown(run)].filter(Boolean).join('\n\n');
  const outputs = runCharts(run).map(chart => ({
    output_type: 'display_data' as const,
    data: { 'image/svg+xml': sourceLines(lineChartSvg(chart)), 'text/plain': [`<${chart.title} chart>`] },
    metadata: {},
  }));
  const recipe: IpynbCell = { cell_type: 'code', execution_count: null, metadata: { seq2seqLab: { runDir: run.runDir } }, source: sourceLines(run.recipe ?? generatedRecipe(run)), outputs };
  return [markdownCell(text), recipe];
}

function cells(cell: LogCell): IpynbCell[] {
  switch (cell.kind) {
    case 'markdown':
      return [markdownCell(cell.source)];
    case 'code':
      return [{ cell_type: 'code', execution_count: null, metadata: { language: cell.language }, source: sourceLines(cell.source), outputs: [] }];
    case 'run':
      return runCells(cell);
  }
}

export function exportIpynb(document: LogDocument): string {
  const notebook = {
    nbformat: 4,
    nbformat_minor: 4,
    metadata: { seq2seqLab: { exportedFrom: 'seq2seq-lab.log' } },
    cells: document.cells.flatMap(cells),
  };
  // Jupyter writes one-space indentation; matching it keeps diffs with re-saved copies small.
  return JSON.stringify(notebook, null, 1) + '\n';
}
