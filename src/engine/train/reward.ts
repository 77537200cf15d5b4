/**
 * Sentence-level rewards of self-critical sequence training (scst.ts) and of the `reward`
 * evaluation metric, from the shared scoring code: sentence BLEU over the target tokens
 * (sacreBLEU's sentence BLEU of the space-joined tokens, so a character-level target gets
 * character n-grams rather than one "word"), sentence chrF of the text (both scaled to 0–1),
 * exact match of the text (0/1) and minus the edit distance in target tokens. With several
 * references a hypothesis is scored against the one that rewards it most.
 */
import type { RewardType } from '../../shared/config';
import { editDistance, sentenceBleu, sentenceChrf } from '../../shared/scoring';
import type { ExamplePair } from './dataset';
import type { ModelContext } from './modelContext';

export interface RewardInput {
  /** detokenized output */
  output: string;
  /** its target tokens */
  tokens: readonly string[];
}

export interface RewardReference {
  /** detokenized references */
  references: readonly string[];
  /** the target tokens of each */
  tokens: ReadonlyArray<readonly string[]>;
}

/** A pair's references as rewards read them (the first one's tokens as the pair has them). */
export function pairReference(context: Pick<ModelContext, 'targetTokenizer'>, pair: Pick<ExamplePair, 'reference' | 'references' | 'targetTokens'>): RewardReference {
  const references = pair.references ?? [pair.reference];
  return { references, tokens: references.map((ref, k) => (k === 0 ? pair.targetTokens : context.targetTokenizer.tokenize(ref))) };
}

/** Tokens as one space-separated line (a token's own whitespace, e.g. a character-level space, shown as ▁). */
function spaced(tokens: readonly string[]): string {
  return tokens.map(t => t.replace(/\s/gu, '\u2581')).join(' ');
}

/** The reward of one output against its reference(s). */
export function sentenceReward(kind: RewardType, hypothesis: RewardInput, reference: RewardReference): number {
  switch (kind) {
    case 'bleu':
      return sentenceBleu(spaced(hypothesis.tokens), reference.tokens.map(spaced), { tokenize: 'none' }).score / 100;
    case 'chrf':
      return sentenceChrf(hypothesis.output, reference.references).score / 100;
    case 'exact':
      return reference.references.includes(hypothesis.output) ? 1 : 0;
    case 'negEditDistance':
      return -Math.min(...reference.tokens.map(ref => editDistance(hypothesis.tokens, ref)));
  }
}
