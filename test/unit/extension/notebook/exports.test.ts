/** Markdown and Jupyter exports, readable without VS Code or a browser. */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import { exportIpynb, sourceLines } from '../../../../src/extension/notebook/exportIpynb';
import { exportMarkdown } from '../../../../src/extension/notebook/exportMarkdown';
import { type LogDocument } from '../../../../src/shared/experimentLog/types';
import { parseLog } from '../../../../src/shared/experimentLog/parse';
import { appendRun, finishRun, updateRun } from '../../../../src/extension/notebook/runUpdates';
import { emptyLog } from '../../../../src/shared/experimentLog/types';
import { DEFAULT_CONFIG } from '../../../../src/shared/config';
import { evalEvent, FIXTURES, result, startEvent, stepEvent } from './helpers';

function fixture(name: string): LogDocument {
  const result = parseLog(fs.readFileSync(`${FIXTURES}/${name}`));
  if (!result.ok) throw new Error(result.error.message);
  return result.document;
}

describe('notebook/exports', () => {
  describe('Markdown', () => {
    const document = fixture('two-runs.s2slog');
    const markdown = exportMarkdown(document);

    it('keeps the user notes verbatim and in order around the runs', () => {
      const note1 = (document.cells[0] as { source: string }).source;
      const note2 = (document.cells[2] as { source: string }).source;
      assert.ok(markdown.startsWith(note1 + '\n\n### Run `runs/dates-1` — completed'));
      const first = markdown.indexOf('runs/dates-1');
      assert.ok(first < markdown.indexOf(note2) && markdown.indexOf(note2) < markdown.indexOf('### Run `runs/dates-2`'));
    });

    it('embeds each chart as an SVG image that decodes to a chart of the run', () => {
      const images = [...markdown.matchAll(/!\[([^\]]+)\]\(data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)\)/g)];
      // Run 1 and run 2 each have loss, accuracy and BLEU charts.
      assert.deepEqual(images.map(m => m[1]), ['Loss', 'Accuracy', 'BLEU and chrF', 'Loss', 'Accuracy', 'BLEU and chrF']);
      const svg = Buffer.from(images[0][2], 'base64').toString('utf8');
      assert.match(svg, /^<svg[^>]*>[\s\S]*<path d="M[\d.,LM]+" fill="none"[\s\S]*<\/svg>$/);
    });

    it('lists the evaluations and the final test metrics as tables', () => {
      // A log from before the error rates: no CER/WER columns, everything else as METRICS formats it.
      assert.ok(markdown.includes('| Step | Epoch | Train loss | Exact match | Token accuracy | BLEU | chrF | Valid loss |'));
      assert.match(markdown, /\| 10 \| 1 \| 0\.8198 \| 40\.00 % \| 50\.00 % \| 36\.00 \| 38\.00 \| 0\.2000 \|/);
      assert.match(markdown, /\*\*Final metrics \(test split, best checkpoint\)\*\*\n\n\| Exact match \| Token accuracy \| BLEU \| chrF \| Perplexity \| Loss \|\n[^\n]*\n\| 96\.00 % \| 100\.00 % \| 86\.40 \| 91\.20 \| 1\.051 \| 0\.0500 \|/);
      assert.doesNotMatch(markdown, /CER|WER|Error rates/);
      assert.match(markdown, /\*\*Latest validation \(step 10\)\*\*/);
    });

    it('marks token differences in sample predictions', () => {
      // Reference "2021-03-03", prediction "march 3 2021 ?" → compared word by word.
      assert.ok(markdown.includes('| march 3 2021 | 2021-03-03 | ~~2021-03-03~~ **march 3 2021 ?** |'));
      // Run 1's final sample is right: no marks.
      assert.ok(markdown.includes('| march 3 2021 | 2021-03-03 | 2021-03-03 |'));
    });
  });

  describe('Markdown of a run with error rates', () => {
    const RUN = 'runs/g2p';
    const live = (unit?: 'phoneme') => {
      let document = appendRun(emptyLog(), { runDir: RUN, data: { task: 'g2p' }, config: { ...DEFAULT_CONFIG }, startedAt: '2025-01-01T00:00:00Z' });
      for (const event of [startEvent(RUN, 20), stepEvent(10, 0.8), evalEvent(10, 1, 0.6, 0.3, '2021-03-03')]) document = updateRun(document, RUN, event);
      return finishRun(document, RUN, { ...result(RUN), ...(unit ? { targetUnit: unit } : {}) });
    };

    it('shows CER and WER in the final table, the evaluations and their own chart', () => {
      const markdown = exportMarkdown(live());
      assert.ok(markdown.includes('| Exact match | Token accuracy | BLEU | chrF | CER | WER | Perplexity | Loss |'), 'final metrics');
      assert.ok(markdown.includes('| 96.00 % | 100.00 % | 86.40 | 91.20 | 1.00 % | 2.00 % | 1.051 | 0.0500 |'));
      assert.ok(markdown.includes('| Step | Epoch | Train loss | Exact match | Token accuracy | BLEU | chrF | CER | WER | Valid loss |'), 'evaluations');
      assert.match(markdown, /!\[Error rates\]\(data:image\/svg\+xml;base64,/);
    });

    it('calls the word error rate PER when the targets are phonemes', () => {
      const markdown = exportMarkdown(live('phoneme'));
      assert.ok(markdown.includes('| chrF | CER | PER | Perplexity |'));
      assert.doesNotMatch(markdown, /\bWER\b/);
    });
  });

  describe('Jupyter', () => {
    const notebook = JSON.parse(exportIpynb(fixture('two-runs.s2slog')));

    it('is an nbformat 4 notebook whose cells have the required fields', () => {
      assert.equal(notebook.nbformat, 4);
      assert.ok(Number.isInteger(notebook.nbformat_minor));
      assert.equal(typeof notebook.metadata, 'object');
      for (const cell of notebook.cells) {
        assert.ok(['markdown', 'code'].includes(cell.cell_type));
        assert.equal(typeof cell.metadata, 'object');
        assert.ok(Array.isArray(cell.source) && cell.source.every((line: unknown) => typeof line === 'string'));
        if (cell.cell_type === 'code') {
          assert.equal(cell.execution_count, null);
          assert.ok(Array.isArray(cell.outputs));
        } else {
          assert.ok(!('outputs' in cell));
        }
      }
    });

    it('has the notes as markdown cells with their exact text, and a markdown + code cell per run', () => {
      assert.deepEqual(notebook.cells.map((c: { cell_type: string }) => c.cell_type), ['markdown', 'markdown', 'code', 'markdown', 'markdown', 'code']);
      assert.equal(notebook.cells[0].source.join(''), '# Dates experiments\r\n\r\nBaseline first, then a bigger hidden size 🚀.  \r\nNotes in CRLF, trailing spaces kept.');
      assert.equal(notebook.cells[3].source.join(''), 'Next: hidden size 128. Ünïcödé, 中文, tabs\tand a lone \\ backslash.\n');
    });

    it('has the charts as SVG images in display_data outputs', () => {
      const outputs = notebook.cells[2].outputs;
      assert.equal(outputs.length, 3);
      for (const output of outputs) {
        assert.equal(output.output_type, 'display_data');
        assert.ok(Array.isArray(output.data['image/svg+xml']));
        assert.match(output.data['image/svg+xml'].join(''), /^<svg[\s\S]*<\/svg>$/);
        assert.ok(Array.isArray(output.data['text/plain']));
      }
      const recipe = JSON.parse(notebook.cells[2].source.join(''));
      assert.equal(recipe.task, 'dates');
      assert.equal(recipe.config.hiddenSize, 64, 'the recorded value, though it was the default then');
    });

    it('splits sources into lines that keep their own endings', () => {
      assert.deepEqual(sourceLines('a\r\nb\n\nc'), ['a\r\n', 'b\n', '\n', 'c']);
      assert.deepEqual(sourceLines('x\n'), ['x\n']);
      assert.deepEqual(sourceLines(''), []);
    });
  });
});
