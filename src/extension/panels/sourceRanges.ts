/**
 * Where each source token of a translation lies in the editor text it came from, so a row of
 * the attention map can be highlighted there. Tokens are found in order (the tokenizer may have
 * lowercased them: the search ignores case); a token not in the text (<unk>, a normalised
 * character) gets no range. No `vscode` here: unit-tested under Node.
 */

export interface TextRange {
  /** Offsets into `text`, end exclusive. */
  start: number;
  end: number;
}

export function sourceTokenRanges(text: string, source: string, tokens: readonly string[]): Array<TextRange | undefined> {
  const haystack = text.toLowerCase();
  const at = source ? haystack.indexOf(source.toLowerCase()) : -1;
  let cursor = Math.max(0, at);
  return tokens.map(token => {
    if (token === '') return undefined;
    const found = haystack.indexOf(token.toLowerCase(), cursor);
    if (found < 0) return undefined;
    cursor = found + token.length;
    return { start: found, end: found + token.length };
  });
}
