/**
 * The diffs panel for runs that are not seq2seq: the page around the confusion and tag views
 * (title, progress while predicting, the predictions' label, a failure with Retry), drawn for
 * each message as the run's shape asks (shapeView.ts).
 */
import type { DiffsRunInfo, PredictionSet } from '../../src/shared/diffsProtocol';
import { el, showContent } from '../common/dom';
import { t } from '../common/l10n';
import { post } from '../common/vscodeApi';
import { ConfusionView, confusionComparison } from './confusionView';
import { progressBlock } from './progress';
import { parseRunInfo, viewOf } from './shapeView';
import { TagsView } from './tagsView';

/**
 * The page of a run whose shape has its own view: what the host said about the run (`run`), the
 * predictions shown, and the view drawn for each of the panel's messages. Each method returns
 * whether it handled the message (false: the diffs list's turn).
 */
export class ShapedPage {
  private readonly confusion = new ConfusionView();
  private readonly tags = new TagsView();
  private info: DiffsRunInfo | undefined;
  private shown: PredictionSet | undefined;

  constructor(private readonly title: () => string, private readonly request: () => { split?: 'valid' | 'test'; b?: unknown } | undefined) {}

  /** The view one checkpoint's predictions get (undefined: the diffs list; two checkpoints always are). */
  kind(shape?: unknown): 'confusion' | 'tags' | undefined {
    if (this.request()?.b) return undefined;
    const kind = viewOf(shape ?? this.info?.shape);
    return kind === 'diffs' ? undefined : kind;
  }

  /** The host's run info: a classify run's matrices show at once, above the progress of the predictions. */
  run(x: unknown): boolean {
    this.info = parseRunInfo(x);
    const kind = this.kind();
    if (!kind) return false;
    if (this.shown) this.show(kind, { set: this.shown });
    else if (document.body.dataset.ready !== 'failed') this.showProgress();
    return true;
  }

  /** While predicting a classify run: its evaluations' matrices above a progress block (once). */
  showProgress(): void {
    if (this.kind() === 'confusion' && !document.getElementById('predict-progress')) this.show('confusion', { progress: progressBlock() });
  }

  predictions(set: PredictionSet): boolean {
    const kind = this.kind(set.shape);
    this.shown = kind ? set : undefined;
    if (kind) this.show(kind, { set });
    return kind !== undefined;
  }

  /** Two checkpoints of classify runs: their matrices side by side and where they disagree (others: the diffs list). */
  compare(a: PredictionSet, b: PredictionSet): boolean {
    if (viewOf(a.shape) !== 'confusion' || viewOf(b.shape) !== 'confusion') return false;
    showContent(el('h1', {}, this.title()), confusionComparison(a, b));
    document.body.dataset.view = 'confusion-compare';
    document.body.dataset.ready = 'true';
    document.body.dataset.samples = String(a.samples.length);
    return true;
  }

  /** A classify run keeps its evaluations' matrices after a failure, with the reason where the examples would be. */
  failed(message: string): boolean {
    this.shown = undefined;
    if (this.kind() !== 'confusion') return false;
    this.show('confusion', { problem: message });
    return true;
  }

  /**
   * Shows `kind`'s view: with the predictions (`set`), or while predicting (`progress` adds the
   * progress block), or after a failure (`problem`, with Retry).
   */
  private show(kind: 'confusion' | 'tags', options: { set?: PredictionSet; progress?: HTMLElement; problem?: string }): void {
    const { set, progress, problem } = options;
    const run = this.info;
    const parts: Node[] = [el('h1', {}, this.title())];    if (progress) parts.push(progress);
    if (set) parts.push(el('p', { class: 'help', id: 'label-a' }, set.label));
    if (problem) {
      const retry = el('button', { id: 'retry', type: 'button' }, t('Predict again'));
      retry.addEventListener('click', () => post({ type: 'retry' }));
      if (kind === 'tags' || !run?.evaluations.length) parts.push(el('p', { id: 'failure', class: 'error', role: 'alert' }, problem));
      parts.push(el('p', {}, retry));
    }
    if (kind === 'confusion') {
      this.confusion.render({ evaluations: run?.evaluations ?? [], set, problem, split: this.request()?.split });
      parts.push(this.confusion.element);
    } else if (set) {
      this.tags.render(set);
      parts.push(this.tags.element);
    }
    showContent(...parts);
    document.body.dataset.view = kind;
    document.body.dataset.ready = set ? 'true' : problem ? 'failed' : 'partial';
    if (set) document.body.dataset.samples = String(set.samples.length);
  }
}
