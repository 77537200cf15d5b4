/**
 * A trained model with everything needed to read and write its text: vocabularies,
 * tokenizers and the copy prior's source → target map. Evaluation, exposure scoring,
 * prediction and RL fine-tuning all take one.
 */
import type { Seq2SeqConfig } from '../../shared/config';
import { resolvedShape } from '../../shared/shapes';
import type { BatchOptions } from '../model/batch';
import type { Tokenizer, Vocabulary } from '../data';
import type { Seq2SeqModel } from '../model/seq2seq';

export interface ModelContext {
  model: Seq2SeqModel;
  config: Seq2SeqConfig;
  sourceVocab: Vocabulary;
  targetVocab: Vocabulary;
  sourceTokenizer: Tokenizer;
  targetTokenizer: Tokenizer;
  sourceToTarget: Int32Array;
}

/** The batch option of the copy prior (undefined when the model has none). */
export function copyPriorOption(context: ModelContext): { sourceToTarget: Int32Array; targetVocabSize: number } | undefined {
  return context.config.copyPrior ? { sourceToTarget: context.sourceToTarget, targetVocabSize: context.targetVocab.size } : undefined;
}

/** True when the model reads labels off the encoder (classify, tag) instead of decoding. */
export function labelShape(config: Pick<Seq2SeqConfig, 'shape'>): boolean {
  const shape = resolvedShape(config.shape);
  return shape === 'classify' || shape === 'tag';
}

/** The batch options of the context's model: the copy prior's map, and label targets for classify and tag. */
export function batchOptionsOf(context: ModelContext): BatchOptions {
  return { copyPrior: copyPriorOption(context), ...(labelShape(context.config) ? { labels: true } : {}) };
}
