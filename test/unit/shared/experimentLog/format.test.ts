/** The log file format: canonical bytes, and errors precise enough to fix a file by hand. */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import { type LogDocument } from '../../../../src/shared/experimentLog/types';
import { parseLog } from '../../../../src/shared/experimentLog/parse';
import { writeLog, writeLogText } from '../../../../src/shared/experimentLog/write';
import { FIXTURES } from '../../extension/notebook/helpers';

const read = (name: string) => fs.readFileSync(`${FIXTURES}/${name}`);
const bytes = (text: string) => new TextEncoder().encode(text);

function parsed(input: Uint8Array): LogDocument {
  const result = parseLog(input);
  if (!result.ok) throw new Error(result.error.message);
  return result.document;
}

function error(text: string) {
  const result = parseLog(bytes(text));
  assert.equal(result.ok, false, 'expected a parse error');
  return (result as Extract<typeof result, { ok: false }>).error;
}

describe('notebook/format', () => {
  // two-runs comes from our writer; notes.s2slog was written by Python's json.dumps(indent=2),
  // an independent check that "canonical" means plain two-space JSON.
  for (const name of ['two-runs.s2slog', 'notes.s2slog']) {
    it(`writes canonical ${name} back byte for byte`, () => {
      const original = read(name);
      assert.ok(Buffer.from(writeLog(parsed(original))).equals(original));
    });
  }

  it('orders keys the same way whatever order the file had', () => {
    const canonical = read('two-runs.s2slog').toString('utf8');
    // hand-formatted.s2slog: sorted keys, 4-space indent, \u escapes — same content.
    assert.equal(writeLogText(parsed(read('hand-formatted.s2slog'))), canonical);
  });

  it('keeps markdown sources exactly: CRLF, lone CR, trailing spaces, emoji sequences', () => {
    const document = parsed(read('notes.s2slog'));
    assert.deepEqual(document.cells[0], { kind: 'markdown', source: '# Notes only\r\n\r\nMixed endings: CRLF\r\nLF\nCR\rend  ' });
    assert.ok(document.cells[1].kind === 'markdown' && document.cells[1].source.startsWith('👩‍🔬 family emoji 👨‍👩‍👧'));
  });

  it('reads an empty file as an empty log', () => {
    assert.deepEqual(parsed(new Uint8Array()), { version: 1, cells: [] });
  });

  it('reports invalid JSON with line and column', () => {
    const e = error('{\n  "format": "seq2seq-lab.log",\n  "version": 1,\n  "cells": [],\n}\n');
    assert.equal(e.kind, 'invalid-json');
    // The stray "," on line 4 is only wrong once "}" follows it: line 5, column 1.
    assert.deepEqual([e.line, e.column], [5, 1]);
    assert.match(e.message, /line 5, column 1/);
  });

  it('reports a raw line break inside a string where it is', () => {
    const e = error('{"format": "seq2seq-lab.log", "version": 1, "cells": [{"kind": "markdown", "source": "a\nb"}]}');
    assert.equal(e.kind, 'invalid-json');
    // Column 88 is the break itself: it follows the 87 characters up to and including "a".
    assert.deepEqual([e.line, e.column], [1, 88]);
  });

  it('reports a truncated file with where it stops', () => {
    const full = read('two-runs.s2slog').toString('utf8');
    const e = error(full.slice(0, 500));
    assert.equal(e.kind, 'truncated');
    assert.equal(e.line, full.slice(0, 500).split('\n').length);
  });

  it('refuses other format versions by name', () => {
    const e = error('{"format": "seq2seq-lab.log", "version": 2, "cells": []}');
    assert.equal(e.kind, 'unsupported');
    assert.match(e.message, /version 2.*reads version 1/);
  });

  it('names the path of a wrong value', () => {
    const text = read('two-runs.s2slog').toString('utf8').replace('"state": "running"', '"state": "sleeping"');
    const e = error(text);
    assert.equal(e.kind, 'invalid-structure');
    assert.equal(e.path, 'cells[3].state');
  });

  it('refuses unknown fields in its own structures (they would be dropped on save)', () => {
    const e = error('{"format": "seq2seq-lab.log", "version": 1, "cells": [{"kind": "markdown", "source": "x", "colour": "red"}]}');
    assert.equal(e.path, 'cells[0]');
    assert.match(e.message, /unknown field "colour"/);
  });

  it('reports bytes that are not UTF-8 instead of replacing them', () => {
    const result = parseLog(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]));
    assert.ok(!result.ok && result.error.kind === 'encoding');
  });

  it('stores non-finite metrics as null and reads them back', () => {
    const text = read('two-runs.s2slog').toString('utf8').replace('"perplexity": 1.0512710963760241', '"perplexity": null');
    const document = parsed(bytes(text));
    const run = document.cells[1];
    assert.ok(run.kind === 'run' && run.result?.metrics.perplexity === null);
    assert.equal(writeLogText(document), text);
  });
});
