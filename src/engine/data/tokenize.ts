/**
 * Tokenizers, all reversible: `detokenize(tokenize(x)) === x` after NFC normalisation (and
 * lowercasing, when the run lowercases) for any text — spaces, tabs, newlines, emoji,
 * combining marks included.
 *
 * - `char`: every code point is a token, spaces included (they matter in character tasks).
 * - `word`: runs of letters, marks and digits are words; every other non-space character is
 *   its own token.
 * - `cjk`: as `word`, and each Han character is its own token (Chinese and Japanese are
 *   written without spaces, so a "word" would be a whole clause).
 * - `subword`: byte-pair encoding (Sennrich et al. 2016) learned from the training split
 *   (see bpe.ts); an unseen word is split into known pieces instead of becoming `<unk>`.
 *
 * Spacing is kept as SentencePiece keeps it: the text gets a leading space, and a single
 * space before a token becomes a `▁` (U+2581) at the token's start ("▁world"). Any other
 * whitespace (tabs, newlines, a second space) is a token of its own, written as it is. A
 * token decodes to ' ' + rest when it starts with ▁ and has more than one character, else to
 * itself; a literal ▁ in the text is a symbol token of its own ("▁" or "▁▁" with its space),
 * so the rule never confuses the two.
 */
import type { ConcreteTokenizerName } from '../../shared/dataCard';
import { BpeModel } from './bpe';
import { legacyDetokenize, legacyTokenize } from './legacyTokenize';
import { normalizeText, SPACE_MARK, splitUnits, unitToken } from './units';

export { SPACE_MARK } from './units';

/** A tokenizer the engine can run (`auto` in the config resolves to one of these). */
export type ConcreteTokenizer = ConcreteTokenizerName;

/** What a tokenizer is, as saved in a run's tokenizers.json. */
export type TokenizerSpec =
  | { kind: 'char' | 'word' | 'cjk'; legacy?: boolean }
  | { kind: 'subword'; merges: Array<[string, string]> };

/** The text of one token (or subword piece): ▁x… → ' ' + x…; anything else as it is. */
function decodePiece(token: string): string {
  return token.length > 1 && token.startsWith(SPACE_MARK) ? ' ' + token.slice(1) : token;
}

/** Joins tokens into text: pieces decoded, then the leading space the tokenizer added removed. */
function joinPieces(tokens: readonly string[]): string {
  const text = tokens.map(decodePiece).join('');
  return text.startsWith(' ') ? text.slice(1) : text;
}

/** A runnable tokenizer: text ↔ tokens. */
export class Tokenizer {
  private readonly bpe?: BpeModel;

  constructor(readonly spec: TokenizerSpec, readonly lowercase: boolean) {
    if (spec.kind === 'subword') this.bpe = new BpeModel(spec.merges);
  }

  get kind(): ConcreteTokenizer {
    return this.spec.kind;
  }

  /** Text → tokens (NFC, lowercased when the run lowercases). */
  tokenize(text: string): string[] {
    const normalized = normalizeText(text, this.lowercase);
    if (this.isLegacy) return legacyTokenize(normalized, this.spec.kind as 'word' | 'cjk');
    switch (this.spec.kind) {
      case 'char': return Array.from(normalized);
      case 'word': return splitUnits(normalized, false).map(unitToken);
      case 'cjk': return splitUnits(normalized, true).map(unitToken);
      case 'subword': {
        const out: string[] = [];
        for (const unit of splitUnits(normalized, false)) out.push(...this.bpe!.encodeUnit(unit));
        return out;
      }
    }
  }

  /** Tokens → text; the inverse of `tokenize` (special tokens are the caller's business). */
  detokenize(tokens: readonly string[]): string {
    if (this.isLegacy) return legacyDetokenize(tokens);
    return this.spec.kind === 'char' ? tokens.join('') : joinPieces(tokens);
  }

  /** A word/cjk tokenizer of a run made before the reversible ones (see legacyTokenize.ts). */
  private get isLegacy(): boolean {
    return this.spec.kind !== 'char' && this.spec.kind !== 'subword' && this.spec.legacy === true;
  }

  /** The token as a reader sees it (▁ shown as a space) — for diffs and attention labels. */
  static display(token: string): string {
    return decodePiece(token);
  }

  /** The saved form (a legacy tokenizer keeps its bare kind name, as its run saved it). */
  toJSON(): TokenizerSpec | string {
    return this.isLegacy ? this.spec.kind : this.spec;
  }

  /**
   * A saved spec: a kind name (runs before subword: "char", "word", "cjk") or an object.
   * Throws a clear Error on anything else.
   */
  static fromJSON(json: unknown, lowercase: boolean): Tokenizer {
    // A bare kind name: a run from before the reversible tokenizers (char never changed).
    if (json === 'char') return new Tokenizer({ kind: 'char' }, lowercase);
    if (json === 'word' || json === 'cjk') return new Tokenizer({ kind: json, legacy: true }, lowercase);
    const spec = json as { kind?: unknown; merges?: unknown } | null;
    if (spec && typeof spec === 'object' && (spec.kind === 'char' || spec.kind === 'word' || spec.kind === 'cjk')) return new Tokenizer({ kind: spec.kind }, lowercase);
    if (spec && typeof spec === 'object' && spec.kind === 'subword') {
      const merges = spec.merges;
      if (!Array.isArray(merges) || !merges.every(m => Array.isArray(m) && m.length === 2 && typeof m[0] === 'string' && typeof m[1] === 'string' && m[0] && m[1])) {
        throw new Error('subword tokenizer: "merges" must be a list of [string, string] pairs');
      }
      return new Tokenizer({ kind: 'subword', merges: merges as Array<[string, string]> }, lowercase);
    }
    throw new Error(`unknown tokenizer ${JSON.stringify(json)?.slice(0, 80)} (expected char, word, cjk or a subword model)`);
  }
}

/**
 * The target side of the label shapes (classify, tag): `label` — the whole target text is
 * one label (classify); `tags` — the target's whitespace-separated tags, kept whole (tag:
 * "B-PER" is one tag, where the word tokenizer would split its hyphen). Joined back with
 * spaces. Saved as the word tokenizer; the run's shape wraps it again when it is loaded.
 */
export class LabelTokenizer extends Tokenizer {
  constructor(readonly mode: 'label' | 'tags', lowercase: boolean) {
    super({ kind: 'word' }, lowercase);
  }

  override tokenize(text: string): string[] {
    const normalized = normalizeText(text, this.lowercase).trim();
    if (this.mode === 'label') return normalized ? [normalized.replace(/\s+/g, ' ')] : [];
    return normalized ? normalized.split(/\s+/) : [];
  }

  override detokenize(tokens: readonly string[]): string {
    return tokens.join(' ');
  }
}

/** Tokens of `text` under a tokenizer without a trained model (char, word, cjk). */
export function tokenize(text: string, kind: 'char' | 'word' | 'cjk', lowercase: boolean): string[] {
  return new Tokenizer({ kind }, lowercase).tokenize(text);
}

/** The inverse of `tokenize` for any tokenizer kind (the rule does not need the model). */
export function detokenize(tokens: readonly string[], kind: ConcreteTokenizer): string {
  return kind === 'char' ? tokens.join('') : joinPieces(tokens);
}
