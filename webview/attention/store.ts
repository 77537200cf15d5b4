/**
 * What the attention webview shows, DOM-free (unit-tested under Node): the items and followed
 * run the host sent, which sample is selected (an item or the live run), which beam candidate,
 * where the evaluation slider sits (undefined: follow the newest), whether a what-if shows the
 * map before its change, and the map that follows from all that. The host's messages and the
 * user's choices change it through its methods; view.ts draws it.
 */
import type { AttentionEvaluation, AttentionItem, AttentionState, LiveRun } from '../../src/shared/attentionProtocol';
import { evaluationView, itemView, type MapView } from './heatmap';

/** The sample chooser's value of the live run's validation sample (items are `item:<id>`). */
export const LIVE = 'live';

export class AttentionViewState {
  items: AttentionItem[] = [];
  live: LiveRun | undefined;
  /** `item:<id>` or LIVE. */
  selected: string | undefined;
  candidate = 0;
  /** Slider position in live.evaluations; undefined = follow the newest. */
  evaluationIndex: number | undefined;
  /** What-if: show the map before the change instead of after. */
  showBefore = false;
  /** The map on screen (set by each render). */
  current: MapView | undefined;

  selectedItem(): AttentionItem | undefined {
    return this.selected?.startsWith('item:') ? this.items.find(i => `item:${i.id}` === this.selected) : undefined;
  }

  /** An item that is gone, or a live run that is gone: the first item, else the live run. */
  settleSelection(): void {
    const { selected, items, live } = this;
    if (!selected || (selected !== LIVE && !this.selectedItem()) || (selected === LIVE && !live)) {
      this.selected = items[0] ? `item:${items[0].id}` : live ? LIVE : undefined;
    }
  }

  /** The slider's position and the number of evaluations (the newest while following). */
  evaluationPosition(): { index: number; count: number; evaluation: AttentionEvaluation | undefined } {
    const evaluations = this.live?.evaluations ?? [];
    const last = Math.max(0, evaluations.length - 1);
    const index = Math.min(this.evaluationIndex ?? last, last);
    return { index, count: evaluations.length, evaluation: evaluations[index] };
  }

  /** The map that follows from the selection (undefined: nothing to show yet). */
  currentView(): MapView | undefined {
    if (this.selected === LIVE) {
      const live = this.live;
      if (!live || live.evaluations.length === 0) return undefined;
      const index = Math.min(this.evaluationIndex ?? live.evaluations.length - 1, live.evaluations.length - 1);
      return evaluationView(live.evaluations[index], live.name);
    }
    const item = this.selectedItem() ?? this.items[0];
    if (!item) return undefined;
    const view = itemView(item, this.candidate);
    if (item.whatIf && this.showBefore) {
      const base = item.whatIf.base;
      return { ...view, key: `${view.key}:before`, output: base.tokens.join(' '), tokens: base.tokens, probabilities: base.probabilities, attention: base.attention };
    }
    return view;
  }

  /** The sample chooser changed. */
  select(value: string): void {
    this.selected = value;
    this.candidate = 0;
    this.showBefore = false;
  }

  /** The slider moved: at the newest it follows new evaluations again. */
  scrub(value: number): void {
    const last = (this.live?.evaluations.length ?? 1) - 1;
    this.evaluationIndex = value >= last ? undefined : value;
  }

  /** The host's items (a new translation comes with its id: it is selected). */
  setItems(items: AttentionItem[], selectedId: string | undefined): void {
    this.items = items;
    if (selectedId !== undefined) this.select(`item:${selectedId}`);
  }

  /** The followed run (again, or another): the same run keeps the slider where it is. */
  setLive(live: LiveRun | undefined): void {
    const wasLive = this.selected === LIVE;
    if (live?.runDir !== this.live?.runDir) this.evaluationIndex = undefined;
    this.live = live;
    if (live && (wasLive || this.items.length === 0)) this.selected = LIVE;
  }

  /** A new evaluation of the followed run; false when it is of another run (ignored). */
  addEvaluation(runDir: string, evaluation: AttentionEvaluation): boolean {
    if (!this.live || this.live.runDir !== runDir) return false;
    this.live.evaluations.push(evaluation);
    return true;
  }

  /** What is kept with setState for a reload: the items (the host resends the live data). */
  saved(): AttentionState {
    const { items, selected } = this;
    return { items, ...(selected && selected !== LIVE ? { selectedId: selected.slice('item:'.length) } : {}) };
  }

  restore(saved: Partial<AttentionState> | undefined): void {
    if (!saved || !Array.isArray(saved.items)) return;
    this.items = saved.items;
    if (saved.selectedId) this.selected = `item:${saved.selectedId}`;
  }
}
