/**
 * Parallel corpora from TSV (source<TAB>target, extra columns ignored — the Tatoeba/Anki
 * export format) or JSONL ({"source":…, "target":…} per line). UTF-8 with or without BOM;
 * LF, CRLF or lone CR line ends. Each malformed line is recorded with its number and
 * reason; loading fails when they exceed the configured fraction. Nothing is dropped silently.
 */
import * as fs from 'fs';
import * as path from 'path';
import { DataError } from './errors';

export interface SentencePair {
  source: string;
  target: string;
}

export interface BadLine {
  file: string;
  line: number;
  reason: string;
}

export interface LoadOptions {
  /** Largest tolerated share of malformed non-blank lines, 0–1. */
  maxBadLineFraction: number;
  /** Longest accepted line in bytes (default 100,000). */
  maxLineBytes?: number;
}

export interface LoadResult {
  pairs: SentencePair[];
  badLines: BadLine[];
  /** Non-blank lines read. */
  totalLines: number;
  format: 'tsv' | 'jsonl';
}

const DEFAULT_MAX_LINE_BYTES = 100_000;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export function loadParallelFile(file: string, options: LoadOptions): LoadResult {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new DataError('file not found', file);
    if (code === 'EISDIR') throw new DataError('is a directory, not a data file', file);
    throw new DataError(`cannot read (${code ?? (error as Error).message})`, file);
  }
  return parseParallelBuffer(bytes, file, options);
}

function detectFormat(fileName: string, firstLine: string | undefined): 'tsv' | 'jsonl' {
  const ext = path.extname(fileName).toLowerCase();
  if (ext === '.jsonl' || ext === '.json' || ext === '.ndjson') return 'jsonl';
  if (ext === '.tsv' || ext === '.txt' || ext === '.tab') return 'tsv';
  return firstLine?.trimStart().startsWith('{') ? 'jsonl' : 'tsv';
}

/** Splits raw bytes into lines at LF, CRLF or lone CR, without decoding (bad bytes stay per line). */
function splitLines(bytes: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (byte === 0x0a || byte === 0x0d) {
      lines.push(bytes.subarray(start, i));
      if (byte === 0x0d && bytes[i + 1] === 0x0a) i++;
      start = i + 1;
    }
  }
  if (start < bytes.length) lines.push(bytes.subarray(start));
  return lines;
}

export function parseParallelBuffer(bytes: Buffer, fileName: string, options: LoadOptions): LoadResult {
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  const rawLines = splitLines(body);
  const firstText = rawLines.find(l => l.length > 0 && l.length <= maxLineBytes)?.toString('utf8');
  const format = detectFormat(fileName, firstText);
  const pairs: SentencePair[] = [];
  const badLines: BadLine[] = [];
  let totalLines = 0;
  rawLines.forEach((raw, index) => {
    const lineNumber = index + 1;
    const bad = (reason: string) => badLines.push({ file: fileName, line: lineNumber, reason });
    if (raw.length === 0) return;
    if (raw.length > maxLineBytes) {
      totalLines++;
      return bad(`line is ${raw.length} bytes, over the limit of ${maxLineBytes}`);
    }
    let text: string;
    try {
      text = strictUtf8.decode(raw);
    } catch {
      totalLines++;
      return bad('invalid UTF-8');
    }
    if (text.trim() === '') return;
    totalLines++;
    if (text.includes('\u0000')) return bad('NUL byte in line');
    let source: unknown;
    let target: unknown;
    if (format === 'tsv') {
      const tab = text.indexOf('\t');
      if (tab < 0) return bad('missing tab between source and target');
      source = text.slice(0, tab);
      const rest = text.slice(tab + 1);
      const nextTab = rest.indexOf('\t');
      target = nextTab < 0 ? rest : rest.slice(0, nextTab);
    } else {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        return bad(`invalid JSON (${(error as Error).message})`);
      }
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return bad('JSON line is not an object');
      source = (value as Record<string, unknown>).source;
      target = (value as Record<string, unknown>).target;
      if (typeof source !== 'string') return bad('"source" is missing or not a string');
      if (typeof target !== 'string') return bad('"target" is missing or not a string');
    }
    const s = (source as string).trim();
    const t = (target as string).trim();
    if (!s) return bad('empty source');
    if (!t) return bad('empty target');
    pairs.push({ source: s, target: t });
  });
  const fraction = totalLines ? badLines.length / totalLines : 0;
  if (badLines.length > 0 && fraction > options.maxBadLineFraction) {
    const examples = badLines.slice(0, 5).map(b => `line ${b.line}: ${b.reason}`).join('; ');
    throw new DataError(
      `${badLines.length} of ${totalLines} lines are malformed (${(fraction * 100).toFixed(1)}%, over the ${(options.maxBadLineFraction * 100).toFixed(1)}% allowed by maxBadLineFraction) — ${examples}`,
      fileName, undefined, 'too many bad lines');
  }
  if (pairs.length === 0) throw new DataError(totalLines === 0 ? 'the file is empty' : 'no valid sentence pairs', fileName);
  return { pairs, badLines, totalLines, format };
}
