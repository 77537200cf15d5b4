/**
 * Parallel corpora from TSV (source<TAB>target, extra columns ignored — the Tatoeba/Anki
 * export format) or JSONL ({"source":…, "target":…} per line). UTF-8 with or without BOM;
 * LF, CRLF or lone CR line ends. Each malformed line is recorded with its number and
 * reason; loading fails when they exceed the configured fraction. Nothing is dropped silently.
 */
import * as fs from 'fs';
import * as path from 'path';
import { DataError } from './errors';

/** One training example: a source sentence and its reference target. */
export interface SentencePair {
  source: string;
  target: string;
}

/** A line that was skipped, and why. */
export interface BadLine {
  file: string;
  /** 1-based, counting every line end (LF, CRLF or lone CR) as editors do. */
  line: number;
  reason: string;
}

/** How tolerant loading is. */
export interface LoadOptions {
  /** Largest tolerated share of malformed non-blank lines, 0–1. */
  maxBadLineFraction: number;
  /** Longest accepted line in bytes (default 100,000). */
  maxLineBytes?: number;
}

/** What a file held: the good pairs, every skipped line, and the format used. */
export interface LoadResult {
  pairs: SentencePair[];
  /** The 1-based line number of each pair (same order as `pairs`). */
  lines: number[];
  badLines: BadLine[];
  /** Non-blank lines read (good + bad). */
  totalLines: number;
  format: 'tsv' | 'jsonl';
}

const DEFAULT_MAX_LINE_BYTES = 100_000;
/** Bad lines quoted in the "too many bad lines" error. */
const QUOTED_BAD_LINES = 5;
// fatal: a wrong byte must make the line bad, not turn silently into U+FFFD.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads and parses a parallel corpus (synchronously: files are loaded once, before training).
 * @throws DataError when the file cannot be read, has no valid pair, or has too many bad lines
 */
export function loadParallelFile(file: string, options: LoadOptions): LoadResult {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new DataError('file not found', file, undefined, 'not found');
    if (code === 'EISDIR') throw new DataError('is a directory, not a data file', file, undefined, 'is a directory');
    if (code === 'EACCES' || code === 'EPERM') throw new DataError('permission denied: cannot read the file', file, undefined, 'unreadable');
    throw new DataError(`cannot read the file (${code ?? (error as Error).message})`, file, undefined, 'unreadable');
  }
  return parseParallelBuffer(bytes, file, options);
}

/** By extension; otherwise sniffed from the first non-blank line (a JSON object → jsonl). */
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

/** Offset of the first byte that starts an invalid UTF-8 sequence (for the reason text); 0 if none is found. */
function firstInvalidByte(raw: Buffer): number {
  let i = 0;
  while (i < raw.length) {
    const lead = raw[i];
    const extra = lead < 0x80 ? 0 : lead >= 0xc2 && lead <= 0xdf ? 1 : lead >= 0xe0 && lead <= 0xef ? 2 : lead >= 0xf0 && lead <= 0xf4 ? 3 : -1;
    if (extra < 0 || i + extra >= raw.length) return i;
    // The strict decoder also rejects overlong forms and surrogates within the sequence.
    try {
      strictUtf8.decode(raw.subarray(i, i + extra + 1));
    } catch {
      return i;
    }
    i += extra + 1;
  }
  return 0;
}

/** Returns the pair in one line, or a reason why the line is bad. */
function parseLine(text: string, format: 'tsv' | 'jsonl'): SentencePair | string {
  if (text.includes('\u0000')) return 'NUL byte in line';
  let source: string;
  let target: string;
  if (format === 'tsv') {
    const columns = text.split('\t');
    if (columns.length < 2) return 'missing tab between source and target';
    [source, target] = columns; // further columns (Tatoeba/Anki ids, attribution) are ignored
  } else {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      return `invalid JSON (${(error as Error).message})`;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'JSON line is not an object';
    const record = value as Record<string, unknown>;
    if (typeof record.source !== 'string') return `"source" is ${record.source === undefined ? 'missing' : 'not a string'}`;
    if (typeof record.target !== 'string') return `"target" is ${record.target === undefined ? 'missing' : 'not a string'}`;
    source = record.source;
    target = record.target;
  }
  source = source.trim();
  target = target.trim();
  if (!source) return 'empty source';
  if (!target) return 'empty target';
  return { source, target };
}

function percent(fraction: number): string {
  // Enough digits that a small threshold (0.05 %) is not printed as 0.1 %.
  return `${Number((fraction * 100).toPrecision(3))}%`;
}

/**
 * Parses a parallel corpus already in memory. `fileName` picks the format (by extension) and
 * names the file in bad-line records and errors. Blank lines are skipped and not counted.
 * @throws DataError when there is no valid pair, or bad lines / non-blank lines > maxBadLineFraction
 */
export function parseParallelBuffer(bytes: Buffer, fileName: string, options: LoadOptions): LoadResult {
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  const rawLines = splitLines(body);
  const firstText = rawLines
    .filter(l => l.length <= maxLineBytes)
    .map(l => l.toString('utf8'))
    .find(l => l.trim() !== '');
  const format = detectFormat(fileName, firstText);
  const pairs: SentencePair[] = [];
  const lines: number[] = [];
  const badLines: BadLine[] = [];
  let totalLines = 0;
  rawLines.forEach((raw, index) => {
    const line = index + 1;
    if (raw.length === 0) return;
    let reason: string | undefined;
    let text = '';
    if (raw.length > maxLineBytes) {
      reason = `line is ${raw.length} bytes, over the limit of ${maxLineBytes}`;
    } else {
      try {
        text = strictUtf8.decode(raw);
      } catch {
        const at = firstInvalidByte(raw);
        reason = `invalid UTF-8 (byte 0x${raw[at].toString(16).padStart(2, '0')} at byte ${at + 1} of the line)`;
      }
    }
    // Whitespace-only is blank — unless it holds a tab, which in TSV is a pair with both sides empty.
    if (reason === undefined && text.trim() === '' && !(format === 'tsv' && text.includes('\t'))) return;
    totalLines++;
    const parsed = reason ?? parseLine(text, format);
    if (typeof parsed === 'string') badLines.push({ file: fileName, line, reason: parsed });
    else {
      pairs.push(parsed);
      lines.push(line);
    }
  });
  const fraction = totalLines ? badLines.length / totalLines : 0;
  if (badLines.length > 0 && fraction > options.maxBadLineFraction) {
    const examples = badLines.slice(0, QUOTED_BAD_LINES).map(b => `${b.file}:${b.line}: ${b.reason}`).join('; ');
    const more = badLines.length > QUOTED_BAD_LINES ? `; … and ${badLines.length - QUOTED_BAD_LINES} more` : '';
    throw new DataError(
      `${badLines.length} of ${totalLines} lines are malformed (${percent(fraction)}, over the ${percent(options.maxBadLineFraction)} allowed by maxBadLineFraction): ${examples}${more}`,
      fileName, undefined, 'too many bad lines');
  }
  if (pairs.length === 0) {
    throw new DataError(totalLines === 0 ? 'the file is empty (no non-blank lines)' : `no valid sentence pairs in ${totalLines} lines`, fileName, undefined, 'no pairs');
  }
  return { pairs, lines, badLines, totalLines, format };
}
