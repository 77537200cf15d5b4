/**
 * The experiment log's generated text in another language: with a translation (here zh-CN's
 * own bundle), the run cells' Markdown and the error cell are written in it, each run output
 * carries the renderer's labels (RENDERER_STRINGS only), the charts' titles follow, and the
 * file saved is byte for byte the same as in English (outputs are never saved).
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { deserializeNotebook, serializeNotebook, type LogText } from '../../../../src/extension/notebook/serializer';
import { runCharts } from '../../../../src/shared/experimentLog/runCharts';
import type { RunCell } from '../../../../src/shared/experimentLog/types';
import { bundleText, englishText, RENDERER_STRINGS } from '../../../../src/shared/experimentLog/text';
import { FIXTURES, throughEditor } from './helpers';

const zh = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', '..', 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
const chinese: LogText = { t: bundleText(zh), rendererLabels: Object.fromEntries(RENDERER_STRINGS.map(s => [s, zh[s]])) };
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('experiment log text, localized', () => {
  const bytes = fs.readFileSync(`${FIXTURES}/two-runs.s2slog`);

  it('writes the run cells\' Markdown in the language given, and English by default', () => {
    const english = deserializeNotebook(bytes).cells.find(c => c.outputs?.length)!;
    const translated = deserializeNotebook(bytes, chinese).cells.find(c => c.outputs?.length)!;
    const markdownOf = (cell: typeof english) => decode(cell.outputs![0].items[0].data);
    assert.match(markdownOf(english), /\*\*Data:\*\* built-in task/);
    assert.match(markdownOf(translated), /\*\*数据：\*\* 内置任务/);
    assert.match(markdownOf(translated), /^### 运行 `.*` — (已完成|completed)/m);
    assert.doesNotMatch(markdownOf(translated), /\*\*Data:\*\*|built-in task|Final metrics/);
  });

  it('gives each run output the renderer\'s labels, and only those', () => {
    const cell = deserializeNotebook(bytes, chinese).cells.find(c => c.outputs?.length)!;
    const payload = JSON.parse(decode(cell.outputs![1].items[0].data)) as RunCell & { l10n?: Record<string, string> };
    assert.deepEqual(Object.keys(payload.l10n!).sort(), [...new Set(RENDERER_STRINGS)].sort());
    assert.equal(payload.l10n!['Sample predictions'], '样例预测');
    const english = JSON.parse(decode(deserializeNotebook(bytes).cells.find(c => c.outputs?.length)!.outputs![1].items[0].data));
    assert.equal(english.l10n, undefined, 'English sends no labels');
    // The renderer's charts in the labels' language.
    const titles = runCharts(payload, bundleText(payload.l10n)).map(c => c.title);
    assert.ok(titles.includes('准确率') && !titles.includes('Accuracy'), titles.join());
    assert.ok(runCharts(payload, englishText).some(c => c.title === 'Accuracy'));
  });

  it('saves the same bytes whatever the language, and the error cell in it', () => {
    assert.equal(Buffer.from(serializeNotebook(throughEditor(deserializeNotebook(bytes, chinese)), chinese)).equals(bytes), true);
    const broken = new TextEncoder().encode('{"format": "seq2seq-lab.log", "cells": [');
    const notebook = deserializeNotebook(broken, chinese);
    assert.match(notebook.cells[0].value, /^## ⚠️ 无法读取此实验日志/);
    // Untouched, it writes the original bytes back (the comparison uses the same language).
    assert.deepEqual([...serializeNotebook(throughEditor(notebook), chinese)], [...broken]);
  });
});
