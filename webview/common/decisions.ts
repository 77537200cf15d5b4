/**
 * What `auto` decided, in words, free of the DOM: a side's tokenizer ("subword (auto, 2,000
 * pieces)"), the engine's reason and the figures it decided on, and each setting left at auto
 * with the value it became and why. The form's dataset card and the dashboard's Decisions
 * section both show it, so both read the same; unit-tested under Node. Labels are English in
 * the tables below and go through t() where shown (the l10n test checks their translations);
 * the reasons are the engine's English and stay so.
 */
import { fieldSpec } from '../../src/shared/config';
import type { TokenizerDecision } from '../../src/shared/dataCard';
import type { RunDecisions } from '../../src/shared/protocol';
import { t } from './l10n';

/** A whole number as "2,000"; "—" for anything that is not a finite number. */
export const count = (n: unknown): string => (typeof n === 'number' && Number.isFinite(n) ? n.toLocaleString('en-US') : '—');
/** One decimal; "—" when not a finite number. */
export const decimal = (n: unknown): string => (typeof n === 'number' && Number.isFinite(n) ? n.toFixed(1) : '—');

/** A 0–1 share as a percentage (one decimal; "< 0.1 %" rather than a misleading 0.0). */
export function percent(share: unknown): string {
  if (typeof share !== 'number' || !Number.isFinite(share)) return '—';
  if (share > 0 && share < 0.0005) return '< 0.1 %';
  return `${(share * 100).toFixed(1)} %`;
}

/** "char (auto)", "subword (auto, 2,000 pieces)", "word". */
export function tokenizerText(d: TokenizerDecision): string {
  const pieces = d.tokenizer === 'subword' && d.subwordVocabSize ? t('{0} pieces', count(d.subwordVocabSize)) : '';
  if (d.auto) return pieces ? t('{0} (auto, {1})', d.tokenizer, pieces) : t('{0} (auto)', d.tokenizer);
  return pieces ? `${d.tokenizer} (${pieces})` : d.tokenizer;
}

export type DecisionValue = (d: TokenizerDecision) => string;

/** A side's tokenizer decision as rows: English label → how the value reads. */
export const DECISION_ROWS: ReadonlyArray<[label: string, value: DecisionValue]> = [
  ['Tokenizer', tokenizerText],
  ['Why', d => d.reason],
  ['Alphabet', d => count(d.figures.alphabetSize)],
  ['Mean length', d => t('{0} chars · {1} words', decimal(d.figures.meanChars), decimal(d.figures.meanWords))],
  ['Word OOV rate', d => percent(d.figures.wordOovRate)],
  ['Han share', d => percent(d.figures.hanShare)],
  ['Word types', d => count(d.figures.wordTypes)],
];

/** One setting `auto` decided: the field's label (translated), its key, the value it became and the engine's reason. */
export interface AutoSettingRow {
  key: string;
  label: string;
  value: string;
  reason: string;
}

export function autoSettingRows(settings: ReadonlyArray<{ key: string; value: number | string | boolean; reason: string }> | undefined): AutoSettingRow[] {
  return (settings ?? []).map(s => {
    const spec = fieldSpec(s.key);
    const value = typeof s.value === 'number' ? count(s.value) : String(s.value);
    return { key: s.key, label: spec ? t(spec.label) : s.key, value, reason: s.reason };
  });
}

/** One row of a source/target table. */
export interface SideRow {
  label: string;
  source: string;
  target: string;
}

export interface DecisionsView {
  sides: SideRow[];
  settings: AutoSettingRow[];
}

/** The dashboard's Decisions section: per side the tokenizer, why and its figures; then the auto settings. */
export function decisionsView(decisions: RunDecisions): DecisionsView {
  return {
    sides: DECISION_ROWS.map(([label, value]) => ({ label: t(label), source: value(decisions.sourceTokenizer), target: value(decisions.targetTokenizer) })),
    settings: autoSettingRows(decisions.settings),
  };
}
