/**
 * The translation bundle the host sends to the train form and the dashboard: its validator, the
 * form model speaking zh-CN once the bundle is loaded (the engine's rules, translated words), and
 * no stale entries (an English text that was reworded leaves its old translation behind).
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { config } from '@vscode/l10n';
import * as ts from 'typescript';
import { checkField, fieldSpec } from '../../../src/shared/config';
import { parseL10nBundle } from '../../../src/shared/webviewProtocol';
import { useL10nBundle } from '../../../webview/common/l10n';
import { checkValues, datasetError, rawFromConfig } from '../../../webview/form/model';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const zhCn = JSON.parse(fs.readFileSync(path.join(ROOT, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;

/** Every string literal (and template without substitutions) of the .ts files under `dirs`. */
function stringLiterals(dirs: readonly string[]): Set<string> {
  const found = new Set<string>();
  for (const dir of dirs) {
    for (const rel of fs.readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' }).filter(f => f.endsWith('.ts'))) {
      const file = path.join(ROOT, dir, rel);
      const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
      const visit = (node: ts.Node): void => {
        if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) found.add(node.text);
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
  }
  return found;
}

describe('webview l10n bundle', () => {
  it('has no stale entries: every English key is still a string somewhere in the extension, the shared tables or the webviews', () => {
    const literals = stringLiterals(['src', 'webview']);
    assert.deepEqual(Object.keys(zhCn).filter(key => !literals.has(key)), []);
  });

  it('parseL10nBundle accepts a plain object of strings, prototype-free', () => {
    const bundle = parseL10nBundle({ 'Hidden size': '隐藏层大小', '{0} s': '{0} 秒' });
    assert.deepEqual({ ...bundle }, { 'Hidden size': '隐藏层大小', '{0} s': '{0} 秒' });
    assert.equal(Object.getPrototypeOf(bundle), null);
    assert.equal(bundle?.constructor, undefined, 'no Object.prototype members');
    assert.ok(parseL10nBundle(zhCn), 'the shipped zh-CN bundle passes');
  });

  it('parseL10nBundle rejects anything else (the webview then stays English)', () => {
    for (const bad of [undefined, null, 'zh-cn', 42, ['a'], { a: 1 }, { a: { message: 'x' } }, { a: 'x'.repeat(5000) }]) {
      assert.equal(parseL10nBundle(bad), undefined, JSON.stringify(bad)?.slice(0, 40));
    }
  });

  describe('with the zh-CN bundle loaded', () => {
    before(() => useL10nBundle(zhCn));
    // @vscode/l10n keeps one bundle per process: leave English for the other tests.
    after(() => config({ contents: {} }));

    it('the form shows the engine\'s validation messages in Chinese, with the same values', () => {
      const raw = rawFromConfig({ attention: 'none', inputFeeding: true });
      raw.hiddenSize = '-1';
      raw.encoderLayers = '2.5';
      const { errors } = checkValues(raw);
      assert.equal(errors.get('hiddenSize'), 'hiddenSize 必须在 0 到 4096 之间（当前为 -1）');
      assert.equal(errors.get('encoderLayers'), 'encoderLayers 必须是整数');
      assert.match(errors.get('inputFeeding')!, /^inputFeeding 需要注意力/);
      assert.equal(datasetError({ kind: 'file', path: undefined }, ['dates']), '请选择一个数据文件（TSV 或 JSONL）。');
      // The engine itself keeps its English messages.
      assert.equal(checkField(fieldSpec('hiddenSize')!, -1), 'hiddenSize must be between 0 and 4096 (got -1)');
    });
  });
});
