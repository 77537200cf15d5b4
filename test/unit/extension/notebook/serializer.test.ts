/**
 * The serializer as VS Code drives it: deserialize, the editor holds the cells, serialize.
 * Saving must never change or damage what the user has on disk.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import { RUN_MIME } from '../../../../src/shared/experimentLog/constants';
import { parseLog } from '../../../../src/shared/experimentLog/parse';
import { writeLog } from '../../../../src/shared/experimentLog/write';
import { appendRun } from '../../../../src/extension/notebook/runUpdates';
import { deserializeNotebook, documentToNotebook, serializeNotebook } from '../../../../src/extension/notebook/serializer';
import { DEFAULT_CONFIG } from '../../../../src/shared/config';
import { FIXTURES, throughEditor } from './helpers';

const read = (name: string) => fs.readFileSync(`${FIXTURES}/${name}`);
const roundTrip = (bytes: Uint8Array, edit?: (value: string, index: number) => string) => Buffer.from(serializeNotebook(throughEditor(deserializeNotebook(bytes), edit)));

describe('notebook/serializer', () => {
  for (const name of ['two-runs.s2slog', 'notes.s2slog', 'hand-formatted.s2slog', 'windows.s2slog', 'empty.s2slog']) {
    it(`open → save leaves ${name} byte-identical`, () => {
      const original = read(name);
      assert.ok(roundTrip(original).equals(original));
    });
  }

  it('keeps user markdown exact when the editor normalises its line endings', () => {
    const original = read('notes.s2slog');
    // A text model holds one line-ending style; mixed CRLF/LF/CR comes back as all LF.
    const saved = roundTrip(original, value => value.replace(/\r\n?/g, '\n'));
    assert.ok(saved.equals(original));
  });

  it('shows a run as a runnable JSON recipe with a markdown summary and a renderer output', () => {
    const notebook = deserializeNotebook(read('two-runs.s2slog'));
    const run = notebook.cells[3];
    assert.equal(run.kind, 'code');
    const recipe = JSON.parse(run.value);
    assert.equal(recipe.dataPath, 'data/my pairs.tsv');
    assert.equal(recipe.config.hiddenSize, 128);
    // Recorded under older defaults: the settings that differ from today's are in the recipe too.
    assert.equal(recipe.config.batchSize, 64);
    assert.equal(recipe.config.cell, undefined, 'a setting equal to today\'s default is left out');
    assert.deepEqual(run.outputs?.map(o => o.items[0].mime), ['text/markdown', RUN_MIME]);
    const summary = new TextDecoder().decode(run.outputs![0].items[0].data);
    assert.ok(summary.includes(`| hiddenSize | **\`128\`** | \`${DEFAULT_CONFIG.hiddenSize}\` |`), 'recorded value and today\'s default');
    assert.equal(JSON.parse(new TextDecoder().decode(run.outputs![1].items[0].data)).runDir, 'runs/dates-2');
  });

  it('saves an edited recipe and a new user note, nothing else changes', () => {
    const original = read('two-runs.s2slog');
    const notebook = throughEditor(deserializeNotebook(original), (value, i) => (i === 3 ? value.replace('128', '256') : value));
    notebook.cells.splice(2, 0, { kind: 'markup', languageId: 'markdown', value: 'Added later ✍️\r\n' });
    const saved = parseLog(serializeNotebook(notebook));
    assert.ok(saved.ok);
    const before = parseLog(original);
    assert.ok(before.ok);
    assert.deepEqual(saved.document.cells[2], { kind: 'markdown', source: 'Added later ✍️\r\n' });
    const run = saved.document.cells[4];
    assert.ok(run.kind === 'run' && run.recipe?.includes('256'));
    // Everything but the new cell and the recipe is as it was.
    assert.deepEqual({ ...run, recipe: undefined }, { ...before.document.cells[3], recipe: undefined });
    assert.deepEqual(saved.document.cells.filter((_, i) => i !== 2 && i !== 4), before.document.cells.filter((_, i) => i !== 3));
  });

  it('preserves user cells byte for byte when runs are appended between them', () => {
    const original = read('notes.s2slog');
    const before = parseLog(original);
    assert.ok(before.ok);
    const withRun = appendRun(before.document, { runDir: 'runs/x', data: { task: 'reverse' }, config: { ...DEFAULT_CONFIG }, startedAt: '2025-01-01T00:00:00Z' });
    // Save with the run, then add a note after it and save again, as a user would.
    const first = serializeNotebook(throughEditor(documentToNotebook(withRun), v => v.replace(/\r\n?/g, '\n')));
    const reopened = throughEditor(deserializeNotebook(first));
    reopened.cells.push({ kind: 'markup', languageId: 'markdown', value: 'after the run\n' });
    const second = parseLog(serializeNotebook(reopened));
    assert.ok(second.ok);
    assert.deepEqual(second.document.cells.slice(0, 3), before.document.cells);
    assert.equal(second.document.cells[3].kind, 'run');
    assert.deepEqual(second.document.cells[4], { kind: 'markdown', source: 'after the run\n' });
  });

  describe('a file that cannot be read', () => {
    const canonical = read('two-runs.s2slog');
    // Line 12 is `      "state": "completed",,`: the second comma is column 6 + 21 + 1 = 28.
    const broken: Array<[string, Buffer, RegExp]> = [
      ['invalid JSON (hand edit)', Buffer.from(canonical.toString('utf8').replace('"state": "completed",', '"state": "completed",,')), /Invalid JSON at line 12, column 28/],
      ['a wrong version', Buffer.from(canonical.toString('utf8').replace('"version": 1', '"version": 7')), /format version 7/],
      ['a truncated file', canonical.subarray(0, 3000), /truncated/],
      ['bytes that are not UTF-8', Buffer.concat([canonical.subarray(0, 100), Buffer.from([0xc3, 0x28]), canonical.subarray(100)]), /not valid UTF-8/],
    ];
    for (const [what, bytes, message] of broken) {
      it(`${what}: opens as one error cell and saves back the original bytes`, () => {
        const notebook = deserializeNotebook(bytes);
        assert.equal(notebook.cells.length, 1);
        assert.equal(notebook.cells[0].kind, 'markup');
        assert.match(notebook.cells[0].value, message);
        assert.ok(Buffer.from(serializeNotebook(throughEditor(notebook))).equals(bytes));
      });
    }

    it('refuses to save it once cells were added, rather than replace the file', () => {
      const notebook = throughEditor(deserializeNotebook(Buffer.from('{"format": ')));
      notebook.cells.push({ kind: 'markup', languageId: 'markdown', value: 'my note' });
      assert.throws(() => serializeNotebook(notebook), /could not be read.*not saved/);
    });
  });

  it('rejects damaged run metadata on save instead of writing it', () => {
    const notebook = throughEditor(deserializeNotebook(read('two-runs.s2slog')));
    (notebook.cells[1].metadata!.seq2seqLab as { run: { state: string } }).run.state = 'bogus';
    assert.throws(() => serializeNotebook(notebook), /cells\[1\]\.state/);
  });

  it('writes a canonical file for a new notebook', () => {
    const bytes = serializeNotebook({ cells: [{ kind: 'markup', languageId: 'markdown', value: 'hello' }] });
    assert.equal(new TextDecoder().decode(bytes), '{\n  "format": "seq2seq-lab.log",\n  "version": 1,\n  "cells": [\n    {\n      "kind": "markdown",\n      "source": "hello"\n    }\n  ]\n}\n');
    assert.ok(Buffer.from(bytes).equals(Buffer.from(writeLog({ version: 1, cells: [{ kind: 'markdown', source: 'hello' }] }))));
  });
});
