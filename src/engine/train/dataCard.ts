/**
 * The dataset card of prepared data (see src/shared/dataCard.ts): counts, duplicates, per-side
 * lengths under the chosen tokenizer, vocabulary sizes, held-out tokens never seen in
 * training, and plain warnings. `seq2seq-lab inspect`, the form's card and each run's
 * datacard.json come from here.
 */
import type { Seq2SeqConfig } from '../../shared/config';
import { DATA_WARNINGS, DatasetCard, DataWarning, DataWarningId, LengthStatistics, SideCard, TokenizerDecision } from '../../shared/dataCard';
import { formatMessage, validateConfig } from '../../shared/config';
import { UNK_ID } from '../data';
import { resolveAutoSettings } from './autoConfig';
import type { DataChoice } from '../../shared/dataChoice';
import { ExamplePair, prepareData, PreparedData } from './dataset';

/** Warn when at least this share of validation sentences has a token never seen in training. */
const UNSEEN_SENTENCE_WARNING = 0.2;
const FEW_PAIRS = 500;
const SMALL_VALIDATION = 50;

export function lengthStatistics(lengths: number[]): LengthStatistics {
  const sorted = lengths.slice().sort((a, b) => a - b);
  if (sorted.length === 0) return { min: 0, mean: 0, p50: 0, p90: 0, p99: 0, max: 0 };
  // Nearest-rank percentiles: the smallest length with at least q of the values at or below it.
  const at = (q: number) => sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)];
  return { min: sorted[0], mean: sorted.reduce((a, b) => a + b, 0) / sorted.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted[sorted.length - 1] };
}

/** Share of token ids that are <unk>, and of sequences with at least one. */
function unseen(sequences: number[][]): { tokens: number; sentences: number } {
  let total = 0;
  let unknown = 0;
  let sentences = 0;
  for (const ids of sequences) {
    let any = false;
    for (const id of ids) {
      total++;
      if (id === UNK_ID) {
        unknown++;
        any = true;
      }
    }
    if (any) sentences++;
  }
  return { tokens: total ? unknown / total : 0, sentences: sequences.length ? sentences / sequences.length : 0 };
}

function sideCard(decision: TokenizerDecision, all: number[], vocabularySize: number, valid: number[][], test: number[][], overLimit: number, limit: number): SideCard {
  const v = unseen(valid);
  const t = unseen(test);
  return {
    decision,
    lengths: lengthStatistics(all),
    vocabularySize,
    unseenTokens: { valid: v.tokens, test: t.tokens },
    sentencesWithUnseen: { valid: v.sentences, test: t.sentences },
    overLimit,
    limit,
  };
}

function warning(id: DataWarningId, ...args: Array<string | number>): DataWarning {
  return { id, args, message: formatMessage(DATA_WARNINGS[id], ...args) };
}

export function buildDataCard(source: DataChoice, config: Seq2SeqConfig, prepared: PreparedData): DatasetCard {
  const { report } = prepared;
  const raw = [...report.rawSplit.train, ...report.rawSplit.valid, ...report.rawSplit.test];
  const seenPairs = new Set<string>();
  const targetsBySource = new Map<string, Set<string>>();
  let duplicates = 0;
  for (const pair of raw) {
    const key = `${pair.source}\t${pair.target}`;
    if (seenPairs.has(key)) duplicates++;
    seenPairs.add(key);
    let targets = targetsBySource.get(pair.source);
    if (!targets) targetsBySource.set(pair.source, (targets = new Set()));
    targets.add(pair.target);
  }
  let ambiguousSources = 0;
  for (const targets of targetsBySource.values()) if (targets.size > 1) ambiguousSources++;

  const usable: ExamplePair[] = [...prepared.train, ...prepared.valid, ...prepared.test];
  const sourceSide = sideCard(prepared.decisions.source, usable.map(p => p.source.length), prepared.sourceVocab.size,
    prepared.valid.map(p => p.source), prepared.test.map(p => p.source), report.tooLongSource, config.maxSourceLength);
  const targetSide = sideCard(prepared.decisions.target, usable.map(p => p.target.length), prepared.targetVocab.size,
    prepared.valid.map(p => p.target), prepared.test.map(p => p.target), report.tooLongTarget, config.maxTargetLength);

  const warnings: DataWarning[] = [];
  if (report.badLines.length) {
    const first = report.badLines[0];
    warnings.push(warning('badLines', report.badLines.length, report.totalLines, first.line, first.reason));
  }
  if (duplicates) warnings.push(warning('duplicates', duplicates));
  if (ambiguousSources) warnings.push(warning('ambiguousSources', ambiguousSources));
  if (sourceSide.sentencesWithUnseen.valid >= UNSEEN_SENTENCE_WARNING) warnings.push(warning('unseenSource', Math.round(sourceSide.sentencesWithUnseen.valid * 100)));
  if (targetSide.sentencesWithUnseen.valid >= UNSEEN_SENTENCE_WARNING) warnings.push(warning('unseenTarget', Math.round(targetSide.sentencesWithUnseen.valid * 100)));
  if (report.tooLong) warnings.push(warning('overLimit', report.tooLong, config.maxSourceLength, config.maxTargetLength));
  if (usable.length < FEW_PAIRS) warnings.push(warning('fewPairs', usable.length));
  if (prepared.valid.length < SMALL_VALIDATION) warnings.push(warning('smallValidation', prepared.valid.length));

  return {
    source: source.task ? { task: source.task } : { dataPath: source.dataPath ?? '' },
    totalLines: report.totalLines,
    pairs: report.totalPairs,
    usablePairs: usable.length,
    badLines: report.badLines.slice(0, 20).map(b => ({ line: b.line, reason: b.reason })),
    badLineCount: report.badLines.length,
    duplicates,
    ambiguousSources,
    splits: { train: prepared.train.length, valid: prepared.valid.length, test: prepared.test.length },
    sourceSide,
    targetSide,
    autoSettings: resolveAutoSettings({ ...config, shape: prepared.shape }, prepared).settings,
    shape: { ...prepared.shapeDecision },
    warnings,
  };
}

/**
 * The card of a data file or task under a (partial) configuration, without training: what a
 * run started now would use. Throws ConfigError-like Errors for a bad configuration and
 * DataError for a bad file.
 */
export function inspectData(source: DataChoice, partial: Partial<Seq2SeqConfig> = {}): DatasetCard {
  const { config, errors } = validateConfig(partial);
  if (errors.length) throw new InspectConfigError(errors.map(e => e.message).join('; '));
  return buildDataCard(source, config, prepareData(source, config));
}

export class InspectConfigError extends Error {}

/** The card as lines a person reads in a terminal. */
export function describeCard(card: DatasetCard): string[] {
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  const side = (name: string, s: SideCard) => [
    `${name}: ${s.decision.tokenizer}${s.decision.auto ? ' (auto)' : ''} — ${s.decision.reason}`,
    `  tokens per line p50 ${s.lengths.p50} / p90 ${s.lengths.p90} / p99 ${s.lengths.p99} / max ${s.lengths.max} (limit ${s.limit}, ${s.overLimit} over); vocabulary ${s.vocabularySize}`,
    `  unseen in training: ${pct(s.unseenTokens.valid)} of validation tokens (${pct(s.sentencesWithUnseen.valid)} of lines), ${pct(s.unseenTokens.test)} of test tokens`,
  ];
  return [
    ...(card.shape ? [`shape: ${card.shape.shape}${card.shape.auto ? ' (auto)' : ''} — ${card.shape.reason}`] : []),
    `${card.pairs} pairs from ${card.totalLines} lines (${card.badLineCount} bad, ${card.duplicates} duplicates, ${card.ambiguousSources} ambiguous sources); ${card.usablePairs} usable: ${card.splits.train} train / ${card.splits.valid} valid / ${card.splits.test} test`,
    ...side('source', card.sourceSide),
    ...side('target', card.targetSide),
    ...card.autoSettings.map(s => `${s.key} = ${s.value} (auto) — ${s.reason}`),
    ...card.warnings.map(w => `warning: ${w.message}`),
  ];
}
