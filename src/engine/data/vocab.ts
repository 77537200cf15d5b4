/**
 * Token ↔ id mapping with the four special tokens at fixed ids. Built from the training split
 * (descending frequency, ties by first appearance — deterministic), saved as JSON.
 */

/** Padding: fills batches to a common length; never predicted. */
export const PAD_ID = 0;
/** Start of sequence: the decoder's first input. */
export const BOS_ID = 1;
/** End of sequence: the decoder stops after emitting it. */
export const EOS_ID = 2;
/** Any token not in the vocabulary. */
export const UNK_ID = 3;
/** The special tokens, in id order. */
export const SPECIAL_TOKENS = ['<pad>', '<s>', '</s>', '<unk>'] as const;

/** An immutable token ↔ id table. */
export class Vocabulary {
  private readonly ids: Map<string, number>;

  private constructor(private readonly tokens: readonly string[]) {
    this.ids = new Map(tokens.map((t, i) => [t, i]));
  }

  /**
   * Counts tokens and keeps those seen at least `minFrequency` times, most frequent first,
   * ties in order of first appearance. `maxSize` counts the 4 specials; 0 = unlimited (a
   * `maxSize` below 4 still keeps the specials). Tokens spelled like a special are not added twice.
   */
  static build(tokenLists: Iterable<string[]>, options: { minFrequency: number; maxSize: number }): Vocabulary {
    const counts = new Map<string, number>();
    for (const tokens of tokenLists) for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
    // Map iteration order is first appearance, and Array.prototype.sort is stable.
    let kept = [...counts.entries()]
      .filter(([token, count]) => count >= options.minFrequency && !(SPECIAL_TOKENS as readonly string[]).includes(token))
      .sort((a, b) => b[1] - a[1])
      .map(([token]) => token);
    if (options.maxSize > 0) kept = kept.slice(0, Math.max(0, options.maxSize - SPECIAL_TOKENS.length));
    return new Vocabulary([...SPECIAL_TOKENS, ...kept]);
  }

  /** Number of entries, specials included. */
  get size(): number {
    return this.tokens.length;
  }

  /** The token's id, or UNK_ID. */
  id(token: string): number {
    return this.ids.get(token) ?? UNK_ID;
  }

  /** The id's token; `<unk>` for an id outside the table. */
  token(id: number): string {
    return this.tokens[id] ?? SPECIAL_TOKENS[UNK_ID];
  }

  /** Tokens → ids (unknown → UNK_ID). Adds no BOS/EOS. */
  encode(tokens: string[]): number[] {
    return tokens.map(t => this.id(t));
  }

  /** Ids → tokens, one for one (specials included; see `stripSpecial`). */
  decode(ids: number[]): string[] {
    return ids.map(i => this.token(i));
  }

  /** The saved form: every token in id order. */
  toJSON(): { tokens: string[] } {
    return { tokens: [...this.tokens] };
  }

  /** Validates a saved vocabulary; throws a clear Error on a damaged one. */
  static fromJSON(json: unknown): Vocabulary {
    if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new Error('vocabulary must be a JSON object { "tokens": [strings] }');
    const tokens = (json as { tokens?: unknown }).tokens;
    if (!Array.isArray(tokens)) throw new Error('vocabulary must be { "tokens": [strings] } ("tokens" is missing or not an array)');
    const wrong = tokens.findIndex(t => typeof t !== 'string');
    if (wrong >= 0) throw new Error(`vocabulary entry ${wrong} is not a string (found ${JSON.stringify(tokens[wrong])})`);
    SPECIAL_TOKENS.forEach((special, i) => {
      if (tokens[i] !== special) throw new Error(`vocabulary entry ${i} must be ${special} (found ${JSON.stringify(tokens[i])})`);
    });
    const seen = new Set<string>();
    for (const token of tokens as string[]) {
      if (seen.has(token)) throw new Error(`vocabulary has a duplicate token ${JSON.stringify(token)}`);
      seen.add(token);
    }
    return new Vocabulary(tokens as string[]);
  }
}

/** A decoded id sequence without its specials: cut at the first EOS, PAD and BOS dropped (UNK kept). */
export function stripSpecial(ids: number[]): number[] {
  const end = ids.indexOf(EOS_ID);
  return (end < 0 ? ids : ids.slice(0, end)).filter(i => i !== PAD_ID && i !== BOS_ID);
}
