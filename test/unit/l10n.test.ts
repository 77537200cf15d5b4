/**
 * zh-CN localization is complete: every `vscode.l10n.t` string of the extension host has a
 * translation in l10n/bundle.l10n.zh-cn.json, every `%key%` of package.json is in
 * package.nls.json and package.nls.zh-cn.json, and placeholders survive translation.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { l10nStrings } from './l10nStrings';

const ROOT = path.resolve(__dirname, '..', '..');
const readJson = (rel: string) => JSON.parse(fs.readFileSync(path.join(ROOT, rel), 'utf8')) as Record<string, string>;
const placeholders = (s: string) => (s.match(/\{\d+\}/g) ?? []).sort().join(',');

describe('l10n (zh-CN)', () => {
  it('translates every vscode.l10n.t string of src/extension, keeping its placeholders', () => {
    const bundle = readJson('l10n/bundle.l10n.zh-cn.json');
    const strings = l10nStrings(path.join(ROOT, 'src', 'extension'));
    assert.ok(strings.size > 30, `found ${strings.size} strings`);
    const missing = [...strings].filter(([s]) => !(s in bundle)).map(([s, file]) => `${file}: ${s}`);
    assert.deepEqual(missing, [], 'strings without a zh-CN translation');
    for (const s of strings.keys()) assert.equal(placeholders(bundle[s]), placeholders(s), `placeholders of "${s}"`);
  });

  it('has every %key% of package.json in package.nls.json and package.nls.zh-cn.json', () => {
    const manifest = fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8');
    const keys = [...new Set([...manifest.matchAll(/"%([\w.-]+)%"/g)].map(m => m[1]))];
    assert.ok(keys.length > 10);
    const en = readJson('package.nls.json');
    const zh = readJson('package.nls.zh-cn.json');
    assert.deepEqual(keys.filter(k => !(k in en)), [], 'keys missing from package.nls.json');
    assert.deepEqual(keys.filter(k => !(k in zh)), [], 'keys missing from package.nls.zh-cn.json');
    assert.deepEqual(Object.keys(zh).sort(), Object.keys(en).sort(), 'the two nls files have the same keys');
  });
});
