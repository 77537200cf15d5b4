import type { SentencePair } from '../load';
import type { ConcreteTokenizer } from '../tokenize';

export interface TaskDefinition {
  name: string;
  description: string;
  defaultSize: number;
  sourceTokenizer: ConcreteTokenizer;
  targetTokenizer: ConcreteTokenizer;
  /** Pairs available at most (generated tasks: unlimited). */
  available(): number;
  /** Deterministic for a seed; no network. */
  generate(size: number, seed: number): SentencePair[];
}
