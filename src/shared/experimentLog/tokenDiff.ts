/**
 * Token-level difference between a reference and a prediction, for showing what a model got
 * wrong. Pure (no DOM, no vscode) so the notebook renderer and the exports share it.
 */
import { diffArrays } from 'diff';

export type DiffKind = 'same' | 'missing' | 'extra';
export interface TokenDiff {
  /** How tokens are joined back into text: ' ' for words, '' for characters. */
  joiner: string;
  parts: Array<{ kind: DiffKind; tokens: string[] }>;
}

/**
 * The log keeps predictions as strings, not tokens: texts with spaces are compared word by
 * word, others (dates, pinyin, single words) character by character, which is what the
 * built-in tasks' tokenizers do.
 */
export function tokenize(text: string, byWord: boolean): string[] {
  return byWord ? text.split(/\s+/).filter(token => token !== '') : Array.from(text);
}

export function tokenDiff(reference: string, prediction: string): TokenDiff {
  const byWord = /\s/.test(reference.trim()) || /\s/.test(prediction.trim());
  const changes = diffArrays(tokenize(reference, byWord), tokenize(prediction, byWord));
  return {
    joiner: byWord ? ' ' : '',
    parts: changes.map(change => ({ kind: change.removed ? 'missing' : change.added ? 'extra' : 'same', tokens: change.value })),
  };
}
