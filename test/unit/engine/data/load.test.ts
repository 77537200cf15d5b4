import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DataError, loadParallelFile, parseParallelBuffer } from '../../../../src/engine/data';
import type { LoadResult } from '../../../../src/engine/data';

const FIXTURES = path.join(__dirname, '..', '..', '..', 'fixtures', 'data');
const LENIENT = { maxBadLineFraction: 1 };

/** Parses text (or raw bytes) as a file of that name, tolerating every bad line. */
function parse(content: string | Buffer, fileName = 'data.tsv', options: { maxBadLineFraction: number; maxLineBytes?: number } = LENIENT): LoadResult {
  return parseParallelBuffer(typeof content === 'string' ? Buffer.from(content, 'utf8') : content, fileName, options);
}

function reasonAt(result: LoadResult, line: number): string {
  const bad = result.badLines.find(b => b.line === line);
  assert.ok(bad, `expected line ${line} to be bad; bad lines: ${JSON.stringify(result.badLines)}`);
  return bad.reason;
}

function thrown(fn: () => unknown): DataError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof DataError, `expected a DataError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a DataError');
}

describe('data/load: TSV', () => {
  it('reads pairs, ignores extra columns (Tatoeba export) and trims the sides', () => {
    const result = loadParallelFile(path.join(FIXTURES, 'tatoeba-fra.tsv'), { maxBadLineFraction: 0 });
    assert.equal(result.format, 'tsv');
    assert.equal(result.totalLines, 3);
    assert.deepEqual(result.badLines, []);
    assert.deepEqual(result.pairs[0], { source: 'Go.', target: 'Va !' });
    assert.deepEqual(result.pairs[2], { source: 'Run!', target: 'Cours\u202f!' });
  });

  it('records a missing tab with file and 1-based line number', () => {
    const result = parse('a\tb\nno tab here\nc\td\n', 'corpus.tsv');
    assert.deepEqual(result.pairs.map(p => p.source), ['a', 'c']);
    assert.deepEqual(result.badLines, [{ file: 'corpus.tsv', line: 2, reason: 'missing tab between source and target' }]);
    assert.equal(result.totalLines, 3);
  });

  it('records an empty source and an empty target separately', () => {
    const result = parse('a\tb\n\tonly target\nonly source\t  \n\t\n');
    assert.equal(reasonAt(result, 2), 'empty source');
    assert.equal(reasonAt(result, 3), 'empty target');
    assert.equal(reasonAt(result, 4), 'empty source', 'a line holding just a tab is a broken pair, not a blank line');
    assert.equal(result.pairs.length, 1);
  });

  it('skips blank and whitespace-only lines without counting them', () => {
    const result = parse('\n\na\tb\n   \n\nc\td\n\n');
    assert.equal(result.pairs.length, 2);
    assert.equal(result.totalLines, 2);
    assert.deepEqual(result.badLines, []);
  });

  it('catches invalid UTF-8 per line and keeps the lines around it', () => {
    const bytes = Buffer.concat([
      Buffer.from('héllo\twörld\n', 'utf8'),
      Buffer.from([0x62, 0x61, 0x64, 0xff, 0x09, 0x78, 0x0a]), // "bad\xff\tx\n"
      Buffer.from([0x63, 0x75, 0x74, 0xc3, 0x09, 0x78, 0x0a]), // truncated 2-byte sequence
      Buffer.from('fine\tok\n', 'utf8'),
    ]);
    const result = parse(bytes);
    assert.deepEqual(result.pairs, [{ source: 'héllo', target: 'wörld' }, { source: 'fine', target: 'ok' }]);
    assert.match(reasonAt(result, 2), /invalid UTF-8 \(byte 0xff at byte 4/);
    assert.match(reasonAt(result, 3), /invalid UTF-8 \(byte 0xc3 at byte 4/);
  });

  it('rejects overlong encodings and lone surrogates as invalid UTF-8', () => {
    const overlong = Buffer.from([0xc0, 0xaf, 0x09, 0x78, 0x0a]); // "/" encoded in two bytes
    const surrogate = Buffer.from([0xed, 0xa0, 0x80, 0x09, 0x78, 0x0a]); // U+D800
    const result = parse(Buffer.concat([overlong, surrogate, Buffer.from('a\tb\n')]));
    assert.match(reasonAt(result, 1), /invalid UTF-8/);
    assert.match(reasonAt(result, 2), /invalid UTF-8/);
    assert.equal(result.pairs.length, 1);
  });

  it('rejects a NUL byte', () => {
    const result = parse('a\tb\nnul\u0000here\tx\n');
    assert.equal(reasonAt(result, 2), 'NUL byte in line');
    assert.equal(result.pairs.length, 1);
  });

  it('rejects a line over maxLineBytes, counting bytes not characters', () => {
    const long = `${'é'.repeat(30)}\tx`; // 60 bytes + 2, but only 32 characters
    const result = parse(`a\tb\n${long}\nc\td\n`, 'data.tsv', { maxBadLineFraction: 1, maxLineBytes: 50 });
    assert.equal(reasonAt(result, 2), 'line is 62 bytes, over the limit of 50');
    assert.equal(result.pairs.length, 2);
  });

  it('applies the 100,000-byte default line limit', () => {
    const result = parse(`a\tb\n${'x'.repeat(100_001)}\ty\n`);
    assert.match(reasonAt(result, 2), /100003 bytes, over the limit of 100000/);
  });

  it('strips a UTF-8 BOM so the first source is clean', () => {
    const result = parse(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('first\tpremier\n')]));
    assert.deepEqual(result.pairs, [{ source: 'first', target: 'premier' }]);
  });

  it('handles CRLF line ends without leaving \\r in the target', () => {
    const result = loadParallelFile(path.join(FIXTURES, 'crlf.tab'), LENIENT);
    assert.deepEqual(result.pairs, [{ source: 'hello', target: 'bonjour' }, { source: 'yes', target: 'oui' }]);
  });

  it('counts lines like an editor with mixed LF, CRLF and lone CR ends', () => {
    const result = parse('a\tb\r\nc\td\re\tf\nbroken\r\ng\th');
    assert.deepEqual(result.pairs.map(p => p.target), ['b', 'd', 'f', 'h']);
    assert.deepEqual(result.badLines.map(b => b.line), [4]);
    assert.equal(result.totalLines, 5);
  });
});

describe('data/load: JSONL', () => {
  it('reads {"source","target"} objects from a .jsonl file', () => {
    const result = loadParallelFile(path.join(FIXTURES, 'pairs.jsonl'), { maxBadLineFraction: 0 });
    assert.equal(result.format, 'jsonl');
    assert.deepEqual(result.pairs[0], { source: 'I love NLP!', target: '我爱NLP!' });
    assert.equal(result.pairs.length, 2);
  });

  it('records invalid JSON, non-objects and missing or non-string fields', () => {
    const lines = [
      '{"source":"ok","target":"fine"}',
      '{"source":"unterminated"',
      '["source","target"]',
      '{"target":"no source"}',
      '{"source":"no target"}',
      '{"source":1,"target":"x"}',
      '{"source":"x","target":null}',
      '{"source":"  ","target":"x"}',
    ];
    const result = parse(lines.join('\n'), 'data.jsonl');
    assert.equal(result.pairs.length, 1);
    assert.match(reasonAt(result, 2), /^invalid JSON/);
    assert.equal(reasonAt(result, 3), 'JSON line is not an object');
    assert.equal(reasonAt(result, 4), '"source" is missing');
    assert.equal(reasonAt(result, 5), '"target" is missing');
    assert.equal(reasonAt(result, 6), '"source" is not a string');
    assert.equal(reasonAt(result, 7), '"target" is not a string');
    assert.equal(reasonAt(result, 8), 'empty source');
  });

  it('keeps tabs inside JSON strings', () => {
    const result = parse('{"source":"a\\tb","target":"c"}\n', 'x.json');
    assert.deepEqual(result.pairs, [{ source: 'a\tb', target: 'c' }]);
  });
});

describe('data/load: format choice', () => {
  it('picks the format by extension, even when the content looks otherwise', () => {
    assert.equal(parse('{"source":"a","target":"b"}\ta\n', 'x.txt').format, 'tsv');
    assert.equal(parse('a\tb\n{"source":"a","target":"b"}\n', 'x.jsonl').format, 'jsonl');
  });

  it('sniffs the first non-blank line for other extensions', () => {
    assert.equal(parse('\n  \n{"source":"a","target":"b"}\n', 'pairs.data').format, 'jsonl');
    assert.equal(parse('\na\tb\n', 'pairs').format, 'tsv');
  });
});

describe('data/load: thresholds and failures', () => {
  it('under the threshold: loads and reports every bad line', () => {
    const good = Array.from({ length: 98 }, (_, i) => `s${i}\tt${i}`);
    const lines = [...good.slice(0, 10), 'bad one', ...good.slice(10), '\tempty'];
    const result = parse(lines.join('\n'), 'big.tsv', { maxBadLineFraction: 0.02 });
    assert.equal(result.totalLines, 100);
    assert.equal(result.pairs.length, 98);
    assert.deepEqual(result.badLines.map(b => [b.line, b.reason]), [[11, 'missing tab between source and target'], [100, 'empty source']]);
  });

  it('over the threshold: throws naming file, count, fraction, threshold and bad lines', () => {
    const lines = ['a\tb', 'c\td', 'no tab', 'e\tf', '\tx', 'g\th', 'i\tj', 'k\tl', 'm\tn', 'o\tp'];
    const error = thrown(() => parse(lines.join('\n'), 'corpus.tsv', { maxBadLineFraction: 0.1 }));
    assert.equal(error.file, 'corpus.tsv');
    assert.equal(error.reason, 'too many bad lines');
    assert.match(error.message, /^corpus\.tsv: 2 of 10 lines are malformed \(20%, over the 10% allowed by maxBadLineFraction\)/);
    assert.match(error.message, /corpus\.tsv:3: missing tab between source and target/);
    assert.match(error.message, /corpus\.tsv:5: empty source/);
  });

  it('quotes only the first few bad lines and says how many more there are', () => {
    const lines = Array.from({ length: 20 }, (_, i) => `bad${i}`);
    const error = thrown(() => parse(['a\tb', ...lines].join('\n'), 'x.tsv', { maxBadLineFraction: 0.5 }));
    assert.match(error.message, /x\.tsv:6: missing tab/);
    assert.doesNotMatch(error.message, /x\.tsv:7:/);
    assert.match(error.message, /and 15 more/);
  });

  it('prints small thresholds precisely', () => {
    const lines = [...Array.from({ length: 999 }, (_, i) => `s${i}\tt${i}`), 'broken'];
    const error = thrown(() => parse(lines.join('\n'), 'x.tsv', { maxBadLineFraction: 0.0005 }));
    assert.match(error.message, /\(0\.1%, over the 0\.05% allowed/);
  });

  it('a fraction equal to the threshold is still accepted', () => {
    const result = parse('a\tb\nbroken\nc\td\ne\tf\n', 'x.tsv', { maxBadLineFraction: 0.25 });
    assert.equal(result.badLines.length, 1);
  });

  it('throws when no line is a valid pair', () => {
    const error = thrown(() => parse('only\nbad\nlines\n', 'x.tsv'));
    assert.match(error.message, /^x\.tsv: no valid sentence pairs in 3 lines/);
  });

  it('throws on an empty or blank file', () => {
    assert.match(thrown(() => parse('', 'empty.tsv')).message, /^empty\.tsv: the file is empty/);
    assert.match(thrown(() => parse('\n \r\n\n', 'blank.tsv')).message, /^blank\.tsv: the file is empty/);
  });

  it('throws a DataError for a missing file and for a directory', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's2s-load-'));
    try {
      const missing = path.join(dir, 'nope.tsv');
      const notFound = thrown(() => loadParallelFile(missing, LENIENT));
      assert.equal(notFound.message, `${missing}: file not found`);
      assert.match(thrown(() => loadParallelFile(dir, LENIENT)).message, /is a directory/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('DataError formats file and line into its message', () => {
    const error = new DataError('empty source', 'f.tsv', 7, 'empty source');
    assert.equal(error.message, 'f.tsv:7: empty source');
    assert.equal(error.line, 7);
    assert.ok(error instanceof Error);
    assert.equal(new DataError('plain').message, 'plain');
  });
});
