/**
 * The pre-tokenizer every reversible tokenizer shares (see tokenize.ts): text → units with
 * the SentencePiece-style space marker.
 */

/** The space marker of SentencePiece (U+2581). */
export const SPACE_MARK = '\u2581';

// A unit is a whitespace run, a letter/mark/number run, or one other character.
const WORD_UNITS = /\s+|[\p{L}\p{M}\p{N}]+|[^\s\p{L}\p{M}\p{N}]/gu;
const CJK_UNITS = /\s+|\p{Script=Han}|(?:(?!\p{Script=Han})[\p{L}\p{M}\p{N}])+|[^\s\p{L}\p{M}\p{N}]/gu;
const WHITESPACE = /^\s+$/u;

/** NFC, then (optionally) lowercase and NFC again (lowercasing can decompose: İ → i + U+0307). */
export function normalizeText(text: string, lowercase: boolean): string {
  const normalized = text.normalize('NFC');
  return lowercase ? normalized.toLowerCase().normalize('NFC') : normalized;
}

/** A pre-tokenized unit: its text, and whether one space before it became its ▁ marker. */
export interface Unit {
  text: string;
  marked: boolean;
  whitespace: boolean;
}

/**
 * Splits normalized text into units with the space rule: the text gets a leading space; a
 * single ' ' right before a non-space unit becomes that unit's marker; other whitespace stays
 * a unit of its own.
 */
export function splitUnits(normalized: string, hanSeparate: boolean): Unit[] {
  if (normalized.length === 0) return [];
  const pieces = (' ' + normalized).match(hanSeparate ? CJK_UNITS : WORD_UNITS) ?? [];
  const units: Unit[] = [];
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i];
    if (!WHITESPACE.test(piece)) {
      units.push({ text: piece, marked: false, whitespace: false });
      continue;
    }
    const next = pieces[i + 1];
    if (next !== undefined && piece.endsWith(' ')) {
      if (piece.length > 1) units.push({ text: piece.slice(0, -1), marked: false, whitespace: true });
      units.push({ text: next, marked: true, whitespace: false });
      i++;
    } else {
      units.push({ text: piece, marked: false, whitespace: true });
    }
  }
  return units;
}

/** A unit as a token: its text with the ▁ marker when a space preceded it. */
export function unitToken(unit: Unit): string {
  return unit.marked ? SPACE_MARK + unit.text : unit.text;
}

