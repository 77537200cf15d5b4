/**
 * A reader for GNU gettext `.mo` catalogues (the compiled form of `.po` files).
 *
 * Layout (all integers 32-bit, in the byte order the magic number reveals):
 *   0  magic 0x950412de      4  revision          8  N, the number of strings
 *  12  O, offset of the table of originals       16  T, offset of the table of translations
 *  (20, 24: hash table size and offset, not needed to read every entry)
 * Each table holds N (length, offset) pairs. An original is `msgid`, or `msgctxt \x04 msgid`,
 * and `msgid \0 msgid_plural` for plural entries, whose translation is the plural forms
 * joined by NUL. The entry with the empty msgid is the header (`Content-Type: …; charset=…`).
 */
import * as fs from 'fs';

export interface MoEntry {
  /** msgctxt, when the entry has one. */
  context?: string;
  msgid: string;
  /** msgid_plural, for plural entries. */
  plural?: string;
  /** The translation; for plural entries every form. */
  translations: string[];
}

export interface MoCatalogue {
  /** The header's fields (`Language`, `Content-Type`, …). */
  headers: Record<string, string>;
  charset: string;
  entries: MoEntry[];
}

export class MoFormatError extends Error {}

export function parseMo(buffer: Buffer, name = '.mo file'): MoCatalogue {
  if (buffer.length < 28) throw new MoFormatError(`${name}: too short for a .mo header (${buffer.length} bytes)`);
  let readU32: (offset: number) => number;
  if (buffer.readUInt32LE(0) === 0x950412de) readU32 = o => buffer.readUInt32LE(o);
  else if (buffer.readUInt32BE(0) === 0x950412de) readU32 = o => buffer.readUInt32BE(o);
  else throw new MoFormatError(`${name}: not a .mo file (magic 0x${buffer.readUInt32LE(0).toString(16)})`);
  const revision = readU32(4);
  if (revision >> 16 > 1) throw new MoFormatError(`${name}: unsupported major revision ${revision >> 16}`);
  const count = readU32(8);
  const originals = readU32(12);
  const translations = readU32(16);
  if (originals + 8 * count > buffer.length || translations + 8 * count > buffer.length) throw new MoFormatError(`${name}: string tables run past the end of the file`);
  const raw = (table: number, i: number): Buffer => {
    const length = readU32(table + 8 * i);
    const offset = readU32(table + 8 * i + 4);
    if (offset + length > buffer.length) throw new MoFormatError(`${name}: string ${i} runs past the end of the file`);
    return buffer.subarray(offset, offset + length);
  };
  // The header comes first (the empty msgid sorts first); its charset decodes everything else.
  let charset = 'utf-8';
  const headers: Record<string, string> = {};
  for (let i = 0; i < count; i++) {
    if (raw(originals, i).length !== 0) continue;
    for (const line of raw(translations, i).toString('utf8').split('\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
    }
    const match = /charset=([\w.-]+)/i.exec(headers['Content-Type'] ?? '');
    if (match && match[1].toUpperCase() !== 'CHARSET') charset = match[1].toLowerCase();
  }
  const decoder = new TextDecoder(charset, { fatal: true });
  const entries: MoEntry[] = [];
  for (let i = 0; i < count; i++) {
    const original = raw(originals, i);
    if (original.length === 0) continue;
    let id = decoder.decode(original);
    let context: string | undefined;
    const eot = id.indexOf('\u0004');
    if (eot >= 0) {
      context = id.slice(0, eot);
      id = id.slice(eot + 1);
    }
    const [msgid, plural] = id.split('\0');
    const entry: MoEntry = { msgid, translations: decoder.decode(raw(translations, i)).split('\0') };
    if (context !== undefined) entry.context = context;
    if (plural !== undefined) entry.plural = plural;
    entries.push(entry);
  }
  return { headers, charset, entries };
}

export function readMo(file: string): MoCatalogue {
  return parseMo(fs.readFileSync(file), file);
}
