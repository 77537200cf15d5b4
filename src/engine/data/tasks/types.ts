import type { SentencePair } from '../load';
import type { ResolvedShape } from '../../../shared/config';
import type { TargetUnit } from '../../../shared/metrics';

/** A built-in task: a generator of sentence pairs, offline and deterministic for a seed. */
export interface TaskDefinition {
  name: string;
  /** One line for `seq2seq-lab tasks` and the task picker. */
  description: string;
  /** Pairs (or sources, see `sizeCounts`) generated when the config's taskSize is 0. */
  defaultSize: number;
  /**
   * What a size counts: `pairs` (default), or `sources` for a task whose source can have
   * several targets (g2p: a word with all its pronunciations), which stay together.
   */
  sizeCounts?: 'pairs' | 'sources';
  /** The tokenizers `auto` resolves to. */
  sourceTokenizer: 'char' | 'word' | 'cjk';
  targetTokenizer: 'char' | 'word' | 'cjk';
  /** The shape `shape: auto` trains on this task (default seq2seq). */
  shape?: ResolvedShape;
  /** What a target word is: `phoneme` names the word error rate PER (default `word`). */
  targetUnit?: TargetUnit;
  /** Pairs available at most (dictionary tasks); absent or Infinity for generated tasks. */
  available?(): number;
  /** Deterministic for a seed; no network. Dictionary tasks return at most `available()` pairs. */
  generate(size: number, seed: number): SentencePair[];
}
