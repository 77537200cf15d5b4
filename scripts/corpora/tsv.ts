/** Writing corpora as TSV (`source<TAB>target`), optionally with a UTF-8 BOM and CRLF line ends. */
import * as fs from 'fs';
import * as path from 'path';

export interface Pair {
  source: string;
  target: string;
}

export interface TsvOptions {
  /** Start the file with a UTF-8 byte-order mark. */
  bom?: boolean;
  /** End lines with CRLF instead of LF. */
  crlf?: boolean;
}

/** One line per pair; tabs and line breaks inside a side would break the format, so they are refused. */
export function toTsv(pairs: readonly Pair[], options: TsvOptions = {}): string {
  const eol = options.crlf ? '\r\n' : '\n';
  const lines = pairs.map(({ source, target }, i) => {
    for (const side of [source, target]) {
      if (!side || /[\t\r\n]/.test(side)) throw new Error(`pair ${i + 1}: a side is empty or holds a tab or line break: ${JSON.stringify(side)}`);
    }
    return `${source}\t${target}${eol}`;
  });
  return (options.bom ? '\uFEFF' : '') + lines.join('');
}

/** Writes `pairs` to `file` (its folder created), returns the file's path. */
export function writeTsv(file: string, pairs: readonly Pair[], options: TsvOptions = {}): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, toTsv(pairs, options), 'utf8');
  return file;
}
