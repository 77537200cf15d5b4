/**
 * The attention view's requests on the webview's behalf: translating typed text with the
 * selected model, what-if decoding (the base's tokens before the position, the user's token,
 * then the decoder on its own: a forced prefix, beam 1, with the base's model), and which run to
 * follow (the active one, else the selected model's, its evaluations from its history). Each
 * failure is answered with a `failed` message, never thrown. The results go into the store.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import type { EvalSample, ProgressEvent } from '../../../shared/protocol';
import type { AttentionEvaluation, AttentionRef, HostToAttentionMessage } from '../../../shared/attentionProtocol';
import type { PanelContext } from '../context';
import { panelLog } from '../log';
import { evaluationOf, type HostItem } from './store';

/** A translation (an item's candidate or a validation sample) a webview request refers to. */
export interface ResolvedRef {
  source: string;
  sourceTokens: string[];
  tokens: string[];
  probabilities: number[];
  attention: number[][];
  label: string;
  modelDir?: string;
  modelName?: string;
  hostItem?: HostItem;
}

/** What the requests do to the open view. */
export interface AttentionView {
  send(message: HostToAttentionMessage): void;
  /** Selects the item `id` (just added to the store) and sends the items. */
  showItem(id: string): void;
}

export class AttentionRequests {
  constructor(
    private readonly context: PanelContext,
    private readonly view: AttentionView,
  ) {}

  /** Follows the active run, else the selected model's run (its evaluations from disk). */
  async followRun(): Promise<void> {
    const { training, attention: store } = this.context;
    const runDir = training.activeRunDir ?? (await this.context.models.current().catch(() => undefined))?.dir;
    if (!runDir) {
      this.view.send({ type: 'live', live: store.live });
      return;
    }
    const dir = path.resolve(runDir);
    if (store.live?.runDir !== dir) {
      let evaluations: AttentionEvaluation[] = [];
      try {
        const events = await training.history(dir);
        evaluations = events.filter((e): e is Extract<ProgressEvent, { kind: 'eval' }> => e.kind === 'eval').map(evaluationOf);
      } catch (e) {
        panelLog().warn(`attention: history of ${dir} not loaded: ${String(e)}`);
      }
      if (store.live?.runDir !== dir) store.follow(dir, training.activeRunDir === dir, evaluations);
    }
    const live = store.live!;
    live.training = training.activeRunDir === live.runDir;
    this.view.send({ type: 'live', live });
  }

  async translateTyped(text: string, beamSize: number): Promise<void> {
    const model = await this.context.models.current();
    if (!model) {
      this.view.send({ type: 'failed', message: vscode.l10n.t('There is no trained model yet. Train one first.') });
      return;
    }
    this.view.send({ type: 'busy', busy: true, message: vscode.l10n.t('Translating with {0}…', model.name) });
    try {
      const result = await this.context.engine.translate({ modelDir: model.dir, lines: [text], beamSize });
      this.view.showItem(this.context.attention.remember(result.translations[0], { origin: 'typed', model }));
    } catch (e) {
      this.view.send({ type: 'failed', message: vscode.l10n.t('Translation failed: {0}', e instanceof Error ? e.message : String(e)) });
    } finally {
      this.view.send({ type: 'busy', busy: false });
    }
  }

  async resolve(ref: AttentionRef): Promise<ResolvedRef | undefined> {
    if (ref.kind === 'item') {
      const hostItem = this.context.attention.find(ref.itemId);
      if (!hostItem) return undefined;
      const t = hostItem.item.translation;
      const c = ref.candidate > 0 && t.candidates[ref.candidate] ? t.candidates[ref.candidate] : t;
      const fallback = hostItem.modelDir ? undefined : await this.context.models.current();
      return {
        source: t.source, sourceTokens: t.sourceTokens, tokens: c.tokens, probabilities: c.probabilities, attention: c.attention,
        label: ref.candidate > 0 ? vscode.l10n.t('candidate {0} of “{1}”', ref.candidate + 1, hostItem.item.label) : `“${hostItem.item.label}”`,
        modelDir: hostItem.modelDir ?? fallback?.dir, modelName: hostItem.item.model ?? fallback?.name, hostItem,
      };
    }
    const live = this.context.attention.live;
    const evaluation = live?.evaluations.find(e => e.step === ref.step);
    if (!live || !evaluation) return undefined;
    const s: EvalSample = evaluation.sample;
    return {
      source: s.source, sourceTokens: s.sourceTokens, tokens: s.tokens, probabilities: s.probabilities, attention: s.attention,
      label: vscode.l10n.t('the validation sample at step {0}', evaluation.step), modelDir: live.runDir, modelName: live.name,
    };
  }

  async whatIf(ref: AttentionRef, position: number, token: string): Promise<void> {
    const base = await this.resolve(ref);
    if (!base || !base.modelDir || !base.source || position > base.tokens.length) {
      this.view.send({ type: 'failed', message: vscode.l10n.t('This translation cannot be decoded again (its model or source is unknown).') });
      return;
    }
    const prefix = [...base.tokens.slice(0, position), token];
    this.view.send({ type: 'busy', busy: true, message: vscode.l10n.t('Decoding from the corrected prefix…') });
    try {
      const result = await this.context.engine.translate({ modelDir: base.modelDir, lines: [base.source], forcedPrefix: prefix, beamSize: 1 });
      const id = this.context.attention.remember(
        result.translations[0],
        { origin: 'whatIf', model: { dir: base.modelDir, name: base.modelName ?? path.basename(base.modelDir) }, selection: base.hostItem?.selection },
        {
          label: vscode.l10n.t('“{0}” with token {1} = “{2}”', base.source, position + 1, token),
          whatIf: { position, baseLabel: base.label, base: { tokens: base.tokens, probabilities: base.probabilities, attention: base.attention } },
        },
      );
      this.view.showItem(id);
    } catch (e) {
      this.view.send({ type: 'failed', message: vscode.l10n.t('What-if decoding failed: {0}', e instanceof Error ? e.message : String(e)) });
    } finally {
      this.view.send({ type: 'busy', busy: false });
    }
  }
}
