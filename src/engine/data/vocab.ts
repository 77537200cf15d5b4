/**
 * Token ↔ id mapping with the four special tokens at fixed ids. Built from the training split
 * (descending frequency, ties by first appearance — deterministic), saved as JSON.
 */
export const PAD_ID = 0;
export const BOS_ID = 1;
export const EOS_ID = 2;
export const UNK_ID = 3;
export const SPECIAL_TOKENS = ['<pad>', '<s>', '</s>', '<unk>'] as const;

export class Vocabulary {
  private readonly ids: Map<string, number>;

  private constructor(private readonly tokens: readonly string[]) {
    this.ids = new Map(tokens.map((t, i) => [t, i]));
  }

  /** `maxSize` counts the specials; 0 = unlimited. */
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

  get size(): number {
    return this.tokens.length;
  }

  id(token: string): number {
    return this.ids.get(token) ?? UNK_ID;
  }

  token(id: number): string {
    return this.tokens[id] ?? SPECIAL_TOKENS[UNK_ID];
  }

  encode(tokens: string[]): number[] {
    return tokens.map(t => this.id(t));
  }

  decode(ids: number[]): string[] {
    return ids.map(i => this.token(i));
  }

  toJSON(): { tokens: string[] } {
    return { tokens: [...this.tokens] };
  }

  /** Validates a saved vocabulary; throws a clear Error on a damaged one. */
  static fromJSON(json: unknown): Vocabulary {
    const tokens = (json as { tokens?: unknown } | null)?.tokens;
    if (!Array.isArray(tokens) || !tokens.every(t => typeof t === 'string')) throw new Error('vocabulary must be { "tokens": [strings] }');
    SPECIAL_TOKENS.forEach((special, i) => {
      if (tokens[i] !== special) throw new Error(`vocabulary entry ${i} must be ${special} (found ${JSON.stringify(tokens[i])})`);
    });
    if (new Set(tokens).size !== tokens.length) throw new Error('vocabulary has duplicate tokens');
    return new Vocabulary(tokens as string[]);
  }
}

/** Cuts at the first </s> and drops <pad> and <s>. */
export function stripSpecial(ids: number[]): number[] {
  const end = ids.indexOf(EOS_ID);
  return (end < 0 ? ids : ids.slice(0, end)).filter(i => i !== PAD_ID && i !== BOS_ID);
}
