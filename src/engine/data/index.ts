/**
 * The engine's data layer: loading parallel corpora, tokenizers, vocabularies, seeded splits,
 * length bucketing, and the built-in tasks. No `vscode`, no TensorFlow.
 */
export { DataError } from './errors';
export { loadParallelFile, parseParallelBuffer } from './load';
export type { BadLine, LoadOptions, LoadResult, SentencePair } from './load';
export { detokenize, LabelTokenizer, SPACE_MARK, tokenize, Tokenizer } from './tokenize';
export type { ConcreteTokenizer, TokenizerSpec } from './tokenize';
export { BOS_ID, EOS_ID, PAD_ID, SPECIAL_TOKENS, stripSpecial, UNK_ID, Vocabulary } from './vocab';
export { makeRng, shuffleInPlace, splitGroups, splitPairs } from './split';
export { bucketBatches, filterByLength } from './bucket';
export { getTask, listTasks, TASKS } from './tasks';
export type { TaskDefinition } from './tasks';
