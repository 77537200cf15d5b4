/**
 * Translation-quality metrics: sacreBLEU-compatible BLEU and chrF plus simple corpus metrics.
 */
export { BLEU_MAX_NGRAM_ORDER, computeBleu, corpusBleu, sentenceBleu, tokenize13a, tokenizeChar } from './bleu';
export type { BleuOptions, BleuResult, BleuSmoothMethod, BleuStatisticsOptions, BleuTokenizerName } from './bleu';
export { corpusChrf, sentenceChrf } from './chrf';
export type { ChrfOptions, ChrfResult } from './chrf';
export { SACREBLEU_COMPAT_VERSION } from './signature';
export { editDistance, errorRate, exactMatch, perplexity, tokenAccuracy } from './simple';
export { confusionMatrix, macroF1 } from './labels';
