import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { numberToWords, numbersCorpus } from '../../../../scripts/corpora/numbers';
import { parseMo } from '../../../../scripts/corpora/mo';
import { cleanMessage, MessagePairs, samplePairs, stripAccelerators, typescriptEnglishDiagnostics, typescriptPairs } from '../../../../scripts/corpora/messages';
import { cmuPronunciations, makeTypo, spellingCorpus, TYPO_KINDS } from '../../../../scripts/corpora/dictionary';
import { toTsv } from '../../../../scripts/corpora/tsv';
import { CORPORA } from '../../../../scripts/corpora/index';
import { buildCorpora } from '../../../../scripts/corpora/build';
import { loadParallelFile } from '../../../../src/engine/data/load';
import { makeRng } from '../../../../src/engine/data/split';

/** A little-endian .mo file: the header entry first, then `entries` sorted by original. */
function makeMo(entries: Array<[string, string]>, header = 'Content-Type: text/plain; charset=UTF-8\n', bigEndian = false): Buffer {
  const all: Array<[Buffer, Buffer]> = [['', header] as [string, string], ...entries]
    .map(([o, t]) => [Buffer.from(o, 'utf8'), Buffer.from(t, 'utf8')] as [Buffer, Buffer])
    .sort((a, b) => Buffer.compare(a[0], b[0]));
  const n = all.length;
  const headerSize = 28;
  const originals = headerSize;
  const translations = originals + 8 * n;
  let offset = translations + 8 * n;
  const tables = Buffer.alloc(headerSize + 16 * n);
  const write = (value: number, at: number) => (bigEndian ? tables.writeUInt32BE(value, at) : tables.writeUInt32LE(value, at));
  [0x950412de, 0, n, originals, translations, 0, offset].forEach((v, i) => write(v, 4 * i));
  const strings: Buffer[] = [];
  for (const column of [0, 1]) {
    all.forEach((pair, i) => {
      const table = column === 0 ? originals : translations;
      write(pair[column].length, table + 8 * i);
      write(offset, table + 8 * i + 4);
      strings.push(pair[column], Buffer.from([0]));
      offset += pair[column].length + 1;
    });
  }
  return Buffer.concat([tables, ...strings]);
}

describe('corpora (scripts/corpora)', () => {
  describe('numberToWords', () => {
    const cases: Array<[number, string]> = [
      [0, 'zero'], [7, 'seven'], [13, 'thirteen'], [19, 'nineteen'], [20, 'twenty'], [21, 'twenty one'], [90, 'ninety'], [99, 'ninety nine'],
      [100, 'one hundred'], [101, 'one hundred one'], [110, 'one hundred ten'], [115, 'one hundred fifteen'], [999, 'nine hundred ninety nine'],
      [1000, 'one thousand'], [1001, 'one thousand one'], [1010, 'one thousand ten'], [1100, 'one thousand one hundred'],
      [2019, 'two thousand nineteen'], [20000, 'twenty thousand'], [22446, 'twenty two thousand four hundred forty six'],
      [99999, 'ninety nine thousand nine hundred ninety nine'], [100000, 'one hundred thousand'],
      [1000000, 'one million'], [1002003, 'one million two thousand three'],
    ];
    for (const [n, words] of cases) it(`${n} → ${words}`, () => assert.equal(numberToWords(n), words));

    it('never says "and", never hyphenates, and gives every number of 0–99,999 its own words', () => {
      const seen = new Set<string>();
      for (let n = 0; n < 100_000; n++) {
        const words = numberToWords(n);
        assert.match(words, /^[a-z]+( [a-z]+)*$/, `${n}: ${words}`);
        assert.ok(!/\band\b|zero/.test(words) || n === 0, `${n}: ${words}`);
        seen.add(words);
      }
      assert.equal(seen.size, 100_000);
    });

    it('refuses negative, fractional and too large numbers', () => {
      for (const bad of [-1, 1.5, 1e12, Number.NaN]) assert.throws(() => numberToWords(bad), RangeError);
    });
  });

  describe('numbers corpus', () => {
    it('4,000 seeded draws from 0–99,999, as BOM + CRLF TSV the engine loads', () => {
      const pairs = numbersCorpus();
      assert.equal(pairs.length, 4000);
      assert.deepEqual(numbersCorpus(), pairs, 'deterministic');
      assert.notDeepEqual(numbersCorpus({ seed: 2 }), pairs);
      const values = pairs.map(p => Number(p.source));
      assert.ok(values.every(v => Number.isInteger(v) && v >= 0 && v <= 99_999));
      // Uniform: each fifth of the range gets about a fifth of the draws.
      for (let k = 0; k < 5; k++) {
        const share = values.filter(v => Math.floor(v / 20_000) === k).length / values.length;
        assert.ok(Math.abs(share - 0.2) < 0.03, `fifth ${k}: ${share}`);
      }
      const text = toTsv(pairs, { bom: true, crlf: true });
      assert.ok(text.startsWith('\uFEFF'));
      assert.equal(text.split('\r\n').length, 4001);
      assert.ok(!/[^\r]\n/.test(text));
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's2s-corpus-'));
      try {
        const file = path.join(dir, 'numbers.tsv');
        fs.writeFileSync(file, text);
        const loaded = loadParallelFile(file, { maxBadLineFraction: 0 });
        assert.equal(loaded.badLines.length, 0);
        assert.deepEqual(loaded.pairs.map(p => ({ source: p.source, target: p.target })), pairs);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('distinct draws for the small slice', () => {
      const pairs = numbersCorpus({ lines: 600, max: 999, distinct: true });
      assert.equal(new Set(pairs.map(p => p.source)).size, 600);
      assert.throws(() => numbersCorpus({ lines: 1001, max: 999, distinct: true }), RangeError);
    });
  });

  describe('.mo reader', () => {
    it('reads plain, context and plural entries in either byte order', () => {
      const entries: Array<[string, string]> = [['Open', 'Öffnen'], ['menu\u0004File', 'Datei'], ['%d file\u0000%d files', '%d Datei\u0000%d Dateien']];
      for (const bigEndian of [false, true]) {
        const catalogue = parseMo(makeMo(entries, undefined, bigEndian));
        assert.equal(catalogue.charset, 'utf-8');
        assert.equal(catalogue.headers['Content-Type'], 'text/plain; charset=UTF-8');
        const byId = new Map(catalogue.entries.map(e => [e.msgid, e]));
        assert.deepEqual(byId.get('Open'), { msgid: 'Open', translations: ['Öffnen'] });
        assert.deepEqual(byId.get('File'), { msgid: 'File', context: 'menu', translations: ['Datei'] });
        assert.deepEqual(byId.get('%d file'), { msgid: '%d file', plural: '%d files', translations: ['%d Datei', '%d Dateien'] });
      }
    });

    it('decodes the charset the header names', () => {
      const latin1 = makeMo([], 'Content-Type: text/plain; charset=ISO-8859-1\n');
      // Rebuild with a Latin-1 translation by hand: "Grüße" is 0x47 0x72 0xfc 0xdf 0x65.
      const withEntry = makeMo([['Hello', 'GR__E']], 'Content-Type: text/plain; charset=ISO-8859-1\n');
      const at = withEntry.indexOf(Buffer.from('GR__E'));
      Buffer.from([0x47, 0x72, 0xfc, 0xdf, 0x65]).copy(withEntry, at);
      assert.equal(parseMo(latin1).charset, 'iso-8859-1');
      assert.deepEqual(parseMo(withEntry).entries, [{ msgid: 'Hello', translations: ['Grüße'] }]);
    });

    it('refuses what is not a .mo file, or is truncated', () => {
      assert.throws(() => parseMo(Buffer.from('msgid "x"\nmsgstr "y"\n and more text here')), /not a \.mo file/);
      assert.throws(() => parseMo(Buffer.alloc(10)), /too short/);
      const good = makeMo([['Open', 'Öffnen']]);
      assert.throws(() => parseMo(good.subarray(0, good.length - 12)), /past the end/);
    });

    it('reads the catalogues this machine has, when it has them', function () {
      const dir = '/usr/share/locale/de/LC_MESSAGES';
      if (!fs.existsSync(dir)) this.skip();
      const file = fs.readdirSync(dir).find(f => f.endsWith('.mo'));
      if (!file) this.skip();
      const catalogue = parseMo(fs.readFileSync(path.join(dir, file!)), file);
      assert.ok(catalogue.entries.length > 0);
    });
  });

  describe('message cleaning', () => {
    it('removes accelerators', () => {
      assert.equal(stripAccelerators('_Open File'), 'Open File');
      assert.equal(stripAccelerators('&Save As…'), 'Save As…');
      assert.equal(stripAccelerators('Sa_ve'), 'Save');
      assert.equal(stripAccelerators('文件(_F)'), '文件');
      assert.equal(stripAccelerators('Datei (&D)'), 'Datei');
      assert.equal(cleanMessage('Drag & Drop'), 'Drag & Drop');
    });

    it('leaves out format strings, markup, identifiers and options', () => {
      for (const bad of ['%s not found', 'Found {0} files', 'Delete $file', '<b>Bold</b>', 'see https://x.org', 'use_color_mode', 'a_1', '--help', 'tab\there', 'Fish &amp; Chips'])
        assert.equal(cleanMessage(bad), undefined, bad);
      assert.equal(cleanMessage('  Open\u00a0  file '), 'Open file');
    });

    it('keeps 1–6 word messages, translated, one translation per source (the most frequent)', () => {
      const pairs = new MessagePairs();
      pairs.add('Open', 'Öffnen');
      pairs.add('Open', 'Öffne');
      pairs.add('_Open', 'Ö_ffnen');
      pairs.add('OK', 'OK');
      pairs.add('one two three four five six seven', 'eins zwei drei vier fünf sechs sieben');
      pairs.add('Quit', '%s beenden');
      pairs.add('Close', 'Schließen');
      assert.deepEqual(pairs.pairs(), [{ source: 'Close', target: 'Schließen' }, { source: 'Open', target: 'Öffnen' }]);
      const chinese = new MessagePairs({ targetScript: /\p{Script=Han}/u });
      chinese.add('File', '文件(_F)');
      chinese.add('Edit', 'Edit');
      chinese.add('GTK', 'GTK+');
      assert.deepEqual(chinese.pairs(), [{ source: 'File', target: '文件' }]);
    });

    it('samples deterministically', () => {
      const pairs = Array.from({ length: 50 }, (_, i) => ({ source: `s${i}`, target: `t${i}` }));
      assert.deepEqual(samplePairs(pairs, 10, 'x'), samplePairs(pairs, 10, 'x'));
      assert.equal(samplePairs(pairs, 10, 'x').length, 10);
      assert.equal(samplePairs(pairs, 100, 'x').length, 50);
    });
  });

  describe("TypeScript's diagnostics (the CI-safe corpus)", () => {
    it('finds the English texts in typescript.js', () => {
      const english = typescriptEnglishDiagnostics();
      assert.equal(english.get('Identifier_expected_1003'), 'Identifier expected.');
      assert.equal(english.get('_0_expected_1005'), "'{0}' expected.");
    });

    it('gives a few hundred clean short EN→DE and EN→ZH pairs', () => {
      const de = typescriptPairs({ language: 'de' });
      const zh = typescriptPairs({ language: 'zh-cn', targetScript: /\p{Script=Han}/u });
      for (const pairs of [de, zh]) {
        assert.ok(pairs.length >= 300, `${pairs.length} pairs`);
        assert.equal(new Set(pairs.map(p => p.source)).size, pairs.length);
        for (const { source, target } of pairs) {
          assert.ok(source.split(' ').length <= 6, source);
          assert.ok(!/[%{}$\t]/.test(source + target), `${source} → ${target}`);
          assert.notEqual(source, target);
        }
      }
      assert.ok(de.some(p => p.source === 'Identifier expected.' && p.target === 'Es wurde ein Bezeichner erwartet.'), 'a known pair');
      assert.ok(zh.every(p => /\p{Script=Han}/u.test(p.target)));
    });
  });

  describe('dictionary corpora', () => {
    it('g2p pairs are lowercase words → ARPAbet', () => {
      const pairs = cmuPronunciations();
      assert.ok(pairs.length > 100_000, `${pairs.length}`);
      assert.ok(pairs.some(p => p.source === 'cat' && p.target === 'K AE1 T'));
    });

    it('each typo kind changes the word the way it says', () => {
      const rng = makeRng('typos');
      for (let i = 0; i < 500; i++) {
        const word = ['receive', 'cat', 'bookkeeper', 'aa', 'strength'][i % 5];
        for (const kind of TYPO_KINDS) {
          const typo = makeTypo(word, kind, rng);
          if (typo === undefined) {
            assert.ok(kind === 'transposition' && word === 'aa', `${kind} of ${word}`);
            continue;
          }
          assert.notEqual(typo, word, `${kind} of ${word}`);
          assert.match(typo, /^[a-z]+$/);
          const expectedLength = { deletion: -1, insertion: 1, substitution: 0, transposition: 0 }[kind];
          assert.equal(typo.length - word.length, expectedLength, `${kind}: ${word} → ${typo}`);
          if (kind === 'transposition') assert.deepEqual([...typo].sort(), [...word].sort());
          if (kind === 'substitution') assert.equal([...typo].filter((c, j) => c !== word[j]).length, 1);
        }
      }
      assert.equal(makeTypo('a', 'deletion', rng), undefined);
    });

    it('spelling pairs: distinct words, typos that are not words themselves, deterministic', () => {
      const pairs = spellingCorpus({ lines: 2000 });
      assert.equal(pairs.length, 2000);
      assert.deepEqual(spellingCorpus({ lines: 2000 }), pairs);
      const words = new Set(cmuPronunciations().map(p => p.source));
      assert.equal(new Set(pairs.map(p => p.target)).size, 2000);
      assert.equal(new Set(pairs.map(p => p.source)).size, 2000, 'one right answer per typo');
      for (const { source, target } of pairs) {
        assert.ok(words.has(target) && !words.has(source), `${source} → ${target}`);
        assert.ok(target.length >= 3 && target.length <= 12);
        assert.ok(Math.abs(source.length - target.length) <= 1);
      }
    });
  });

  it('build.ts writes every small corpus as a TSV file the engine loads', function () {
    this.timeout(60_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's2s-corpora-'));
    try {
      const written = buildCorpora(dir, { small: true });
      assert.deepEqual(written.map(w => w.spec.name), CORPORA.map(c => c.name));
      for (const { file, lines } of written) {
        const loaded = loadParallelFile(file, { maxBadLineFraction: 0 });
        assert.equal(loaded.pairs.length, lines, file);
        assert.ok(lines >= 300, `${file}: ${lines}`);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
