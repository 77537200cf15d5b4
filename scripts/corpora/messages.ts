/**
 * Natural-language translation corpora from user-interface messages that are on every machine:
 *
 * - gettext: Debian's translations (`/usr/share/locale/<lang>/LC_MESSAGES/*.mo`), English
 *   msgid → translated msgstr;
 * - TypeScript: the compiler's diagnostics (`typescript/lib/<lang>/diagnosticMessages.generated.json`
 *   gives the translation by key; the English text is in `typescript/lib/typescript.js`'s
 *   `diag(code, category, "Key_code", "English text")` calls). TypeScript is Apache-2.0 and a
 *   devDependency, so this one works on any machine that ran `npm install` (CI included).
 *
 * Both go through the same cleaning: no plural forms or contexts, no format strings (`%s`,
 * `{0}`, `$1`, …) or markup, accelerators (`_File`, `&File`, `(_F)`) removed, whitespace
 * collapsed, 1–6 English words, untranslated entries dropped, one pair per English message.
 */
import * as fs from 'fs';
import * as path from 'path';
import { makeRng, shuffleInPlace } from '../../src/engine/data/split';
import { readMo } from './mo';
import type { Pair } from './tsv';

export interface MessageFilter {
  /** Fewest and most whitespace-separated words of the English side (default 1–6). */
  minWords?: number;
  maxWords?: number;
  /** Longest side in characters (default 80). */
  maxChars?: number;
  /** The target language's script must appear in the translation (e.g. /\p{Script=Han}/u for Chinese). */
  targetScript?: RegExp;
}

const PLACEHOLDER = /%|\{|\}|\$/;
const MARKUP = /<[^>]*>|&\w+;|:\/\/|\\|[\t\n\r\u0000-\u001f]/;

/** Removes keyboard accelerators: `_File`, `&File`, `文件(_F)`, `Datei (&D)`. */
export function stripAccelerators(text: string): string {
  return text
    .replace(/\s*[(（][_&]\p{L}[)）]/gu, '')
    .replace(/(^|[^\p{L}\p{N}])[_&](?=[\p{L}\p{N}])/gu, '$1')
    .replace(/(\p{L})_(?=\p{L})/gu, '$1');
}

/**
 * The cleaned message, or undefined when it must be left out: placeholders, markup,
 * identifiers (underscores or ampersands left after removing accelerators), command-line options.
 */
export function cleanMessage(text: string): string | undefined {
  if (PLACEHOLDER.test(text) || MARKUP.test(text)) return undefined;
  // An accelerator is one underscore or ampersand; more, or one inside a word (snake_case), is an identifier.
  if ((text.match(/_/g) ?? []).length > 1 || (text.match(/&/g) ?? []).length > 1) return undefined;
  if (/\p{L}_\p{L}.*_|[\p{L}\p{N}]_[\p{N}]/u.test(text)) return undefined;
  const cleaned = stripAccelerators(text).replace(/[\s\u00a0]+/gu, ' ').trim();
  if (!cleaned || /[_&]/.test(cleaned.replace(/ & /g, ' ')) || /^-/.test(cleaned)) return undefined;
  return cleaned;
}

/** Candidate translations per English message, counted over every catalogue. */
export class MessagePairs {
  private readonly votes = new Map<string, Map<string, number>>();

  constructor(private readonly filter: MessageFilter = {}) {}

  add(english: string, translation: string): void {
    const { minWords = 1, maxWords = 6, maxChars = 80, targetScript } = this.filter;
    const source = cleanMessage(english);
    const target = cleanMessage(translation);
    if (!source || !target || source === target) return;
    if (source.length > maxChars || target.length > maxChars) return;
    const words = source.split(' ').length;
    if (words < minWords || words > maxWords) return;
    if (!/\p{L}/u.test(source) || (targetScript && !targetScript.test(target))) return;
    let counts = this.votes.get(source);
    if (!counts) this.votes.set(source, (counts = new Map()));
    counts.set(target, (counts.get(target) ?? 0) + 1);
  }

  /** One pair per English message: its most frequent translation (ties: the first in code-point order). */
  pairs(): Pair[] {
    const out: Pair[] = [];
    for (const source of [...this.votes.keys()].sort()) {
      const ranked = [...this.votes.get(source)!.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      out.push({ source, target: ranked[0][0] });
    }
    return out;
  }
}

/** A seeded sample of `size` pairs (all of them, shuffled, when there are fewer). */
export function samplePairs(pairs: readonly Pair[], size: number, seed: number | string): Pair[] {
  return shuffleInPlace(pairs.slice(), makeRng(seed)).slice(0, Math.min(size, pairs.length));
}

export interface GettextOptions extends MessageFilter {
  /** The locale folder's name: `de`, `zh_CN`. */
  locale: string;
  /** Default /usr/share/locale. */
  localeRoot?: string;
}

/** Every usable pair from the locale's `.mo` catalogues (files in name order; unreadable ones skipped). */
export function gettextPairs(options: GettextOptions): { pairs: Pair[]; files: number; skippedFiles: string[] } {
  const dir = path.join(options.localeRoot ?? '/usr/share/locale', options.locale, 'LC_MESSAGES');
  if (!fs.existsSync(dir)) throw new Error(`${dir} does not exist: no gettext catalogues for ${options.locale} on this machine`);
  const collected = new MessagePairs(options);
  const skippedFiles: string[] = [];
  let files = 0;
  for (const name of fs.readdirSync(dir).filter(f => f.endsWith('.mo')).sort()) {
    let catalogue;
    try {
      catalogue = readMo(path.join(dir, name));
    } catch (error) {
      skippedFiles.push(`${name}: ${(error as Error).message}`);
      continue;
    }
    files++;
    for (const entry of catalogue.entries) {
      if (entry.context !== undefined || entry.plural !== undefined || entry.translations.length !== 1) continue;
      collected.add(entry.msgid, entry.translations[0]);
    }
  }
  return { pairs: collected.pairs(), files, skippedFiles };
}

/** TypeScript's English diagnostic texts by key (`Identifier_expected_1003` → `Identifier expected.`). */
export function typescriptEnglishDiagnostics(typescriptDir = path.dirname(require.resolve('typescript/package.json'))): Map<string, string> {
  const source = fs.readFileSync(path.join(typescriptDir, 'lib', 'typescript.js'), 'utf8');
  const string = String.raw`"((?:[^"\\]|\\.)*)"`;
  const call = new RegExp(String.raw`\bdiag\(\d+, \d+ /\* \w+ \*/, ${string}, ${string}`, 'g');
  const english = new Map<string, string>();
  for (const match of source.matchAll(call)) english.set(JSON.parse(`"${match[1]}"`) as string, JSON.parse(`"${match[2]}"`) as string);
  if (english.size < 1000) throw new Error(`found only ${english.size} diagnostics in ${typescriptDir}/lib/typescript.js: has its diag(…) format changed?`);
  return english;
}

export interface TypescriptOptions extends MessageFilter {
  /** TypeScript's locale folder: `de`, `zh-cn`, `ja`, … */
  language: string;
  typescriptDir?: string;
}

/** English → `language` pairs from TypeScript's localized diagnostics. */
export function typescriptPairs(options: TypescriptOptions): Pair[] {
  const dir = options.typescriptDir ?? path.dirname(require.resolve('typescript/package.json'));
  const english = typescriptEnglishDiagnostics(dir);
  const file = path.join(dir, 'lib', options.language, 'diagnosticMessages.generated.json');
  const translated = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
  const collected = new MessagePairs(options);
  for (const key of Object.keys(translated).sort()) {
    const text = english.get(key);
    if (text !== undefined) collected.add(text, translated[key]);
  }
  return collected.pairs();
}
