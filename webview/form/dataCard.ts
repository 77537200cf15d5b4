/**
 * The form's dataset card, free of the DOM: which settings the card depends on, when to ask
 * the host for it again (debounced, only the latest answer counts), and what the card shows
 * (rows of label and text, warnings translated from DATA_WARNINGS through the l10n bundle).
 * Unit-tested under Node; dataCardView.ts draws it.
 */
import { CONFIG_FIELDS, type Seq2SeqConfig } from '../../src/shared/config';
import { DATA_WARNINGS, type DataWarning, type DatasetCard, type SideCard } from '../../src/shared/dataCard';
import type { FormToHostMessage, HostToFormMessage } from '../../src/shared/webviewProtocol';
import { autoSettingRows, count, DECISION_ROWS, percent, type SideRow } from '../common/decisions';
import { t } from '../common/l10n';
import type { DataSelection, FormCheck } from './model';

/** The settings the card depends on: the data group (tokenizers, lengths, vocabularies, splits) and the split's seed. */
export const CARD_SETTING_KEYS: ReadonlyArray<keyof Seq2SeqConfig> = [
  ...CONFIG_FIELDS.filter(f => f.group === 'data' && f.key !== 'taskSize').map(f => f.key),
  'seed',
];

/** How long the form waits after the last edit of a card setting before asking again. */
export const CARD_DEBOUNCE_MS = 400;

export interface CardRequest {
  dataPath: string;
  config: Partial<Seq2SeqConfig>;
}

/** The card to ask for: the chosen file under the card settings; undefined without a file. */
export function cardRequest(source: DataSelection, config: Partial<Seq2SeqConfig>): CardRequest | undefined {
  if (source.kind !== 'file' || !source.path) return undefined;
  const settings: Record<string, unknown> = {};
  for (const key of CARD_SETTING_KEYS) if (config[key] !== undefined) settings[key] = config[key];
  return { dataPath: source.path, config: settings as Partial<Seq2SeqConfig> };
}

/** True when every card setting is valid (while one is not, the card keeps what it shows). */
export function cardSettingsValid(check: FormCheck): boolean {
  return CARD_SETTING_KEYS.every(key => !check.errors.has(key));
}

export type CardState =
  | { kind: 'none' }
  /** Waiting for the engine; `previous` is the card shown meanwhile (dimmed). */
  | { kind: 'loading'; previous?: DatasetCard }
  | { kind: 'ready'; card: DatasetCard }
  | { kind: 'failed'; message: string };

export interface CardRequesterDeps {
  send(message: Extract<FormToHostMessage, { type: 'inspect' | 'cancelInspect' }>): void;
  /** setTimeout; returns the function that clears it. */
  schedule(fn: () => void, ms: number): () => void;
  onState(state: CardState): void;
}

/**
 * Asks for the card whenever its request changes: at once for a newly chosen file, after
 * CARD_DEBOUNCE_MS for a setting typed. Each `inspect` has a new id; an answer with another
 * id is stale and ignored (the host has cancelled that request already).
 */
export class CardRequester {
  private key: string | undefined;
  private requestId = 0;
  private clearTimer: (() => void) | undefined;
  private inFlight = false;
  private state: CardState = { kind: 'none' };

  constructor(private readonly deps: CardRequesterDeps) {}

  get current(): CardState {
    return this.state;
  }

  update(request: CardRequest | undefined, immediate: boolean): void {
    const key = request && JSON.stringify(request);
    if (key === this.key) return;
    this.key = key;
    this.clearTimer?.();
    this.clearTimer = undefined;
    if (!request) {
      if (this.inFlight) this.deps.send({ type: 'cancelInspect' });
      this.inFlight = false;
      return this.setState({ kind: 'none' });
    }
    const previous = this.state.kind === 'ready' ? this.state.card : this.state.kind === 'loading' ? this.state.previous : undefined;
    this.setState({ kind: 'loading', ...(previous ? { previous } : {}) });
    const ask = () => {
      this.clearTimer = undefined;
      this.inFlight = true;
      this.deps.send({ type: 'inspect', requestId: ++this.requestId, config: request.config, dataPath: request.dataPath });
    };
    if (immediate) ask();
    else this.clearTimer = this.deps.schedule(ask, CARD_DEBOUNCE_MS);
  }

  /** The host's answer; false (ignored) when it answers an older request. */
  receive(message: Extract<HostToFormMessage, { type: 'dataCard' | 'dataCardFailed' }>): boolean {
    if (message.requestId !== this.requestId || !this.inFlight || this.clearTimer) return false;
    this.inFlight = false;
    this.setState(message.type === 'dataCard' ? { kind: 'ready', card: message.card } : { kind: 'failed', message: message.message });
    return true;
  }

  private setState(state: CardState): void {
    this.state = state;
    this.deps.onState(state);
  }
}

// ---- what the card shows ----

export interface CardRow {
  label: string;
  value: string;
}

export interface CardView {
  overview: CardRow[];
  /** "line 12: no tab", the first bad lines the engine kept; `moreBadLines` beyond them. */
  badLines: string[];
  moreBadLines: number;
  sides: SideRow[];
  /** What the settings left at auto (0) become on this data: the field's label → "value — reason". */
  autoSettings: CardRow[];
  warnings: Array<{ id: string; text: string }>;
}

/** A warning in the form's language: its DATA_WARNINGS template translated and filled; the engine's English for an id this form does not know. */
export function warningText(warning: DataWarning): string {
  const template = Object.prototype.hasOwnProperty.call(DATA_WARNINGS, warning.id) ? DATA_WARNINGS[warning.id] : undefined;
  if (!template) return String(warning.message);
  const args = Array.isArray(warning.args) ? warning.args.map(a => (typeof a === 'number' ? a : String(a))) : [];
  return t(template, ...args);
}

type SideValue = (side: SideCard) => string;

/** The per-side table: the tokenizer decision's rows, then lengths, vocabulary and unseen tokens under it. */
const SIDE_ROWS: ReadonlyArray<[label: string, value: SideValue]> = [
  ...DECISION_ROWS.map(([label, value]): [string, SideValue] => [label, side => value(side.decision)]),
  ['Tokens p50 / p90 / p99 / max', side => [side.lengths.p50, side.lengths.p90, side.lengths.p99, side.lengths.max].map(count).join(' / ')],
  ['Vocabulary', side => count(side.vocabularySize)],
  ['Unseen tokens (valid / test)', side => `${percent(side.unseenTokens.valid)} / ${percent(side.unseenTokens.test)}`],
  ['Sentences with unseen tokens (valid / test)', side => `${percent(side.sentencesWithUnseen.valid)} / ${percent(side.sentencesWithUnseen.test)}`],
  ['Over the length limit', side => t('{0} (limit {1})', count(side.overLimit), count(side.limit))],
];

/** The English labels the card shows through t() (the l10n test checks their translations). */
export const CARD_LABELS: readonly string[] = SIDE_ROWS.map(([label]) => label);

export function cardView(card: DatasetCard): CardView {
  const splits = card.splits;
  return {
    overview: [
      { label: t('Pairs'), value: t('{0} in {1} lines ({2} usable)', count(card.pairs), count(card.totalLines), count(card.usablePairs)) },
      { label: t('Bad lines'), value: count(card.badLineCount) },
      { label: t('Duplicates'), value: count(card.duplicates) },
      { label: t('Ambiguous sources'), value: count(card.ambiguousSources) },
      { label: t('Split'), value: t('{0} train · {1} validation · {2} test', count(splits.train), count(splits.valid), count(splits.test)) },
      // Which shape `auto` trains on this data (the engine's reason, in English like the tokenizers').
      ...(card.shape ? [{ label: t('Shape'), value: card.shape.auto ? t('{0} (auto: {1})', card.shape.shape, card.shape.reason) : card.shape.shape }] : []),
    ],
    badLines: card.badLines.map(b => t('line {0}: {1}', b.line, b.reason)),
    moreBadLines: Math.max(0, card.badLineCount - card.badLines.length),
    sides: SIDE_ROWS.map(([label, value]) => ({ label: t(label), source: value(card.sourceSide), target: value(card.targetSide) })),
    autoSettings: autoSettingRows(card.autoSettings).map(s => ({ label: s.label, value: `${s.value} — ${s.reason}` })),
    warnings: card.warnings.map(w => ({ id: String(w.id), text: warningText(w) })),
  };
}
