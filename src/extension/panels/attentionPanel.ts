/**
 * The attention view (webview/attention): heatmaps of the last translations, of typed text,
 * of what-if decodings, and of the followed run's validation sample at every evaluation (live
 * while it trains). The panel asks the engine for translations and forced decodings on the
 * webview's behalf, highlights in the editor the source tokens a row attends to (when the source
 * came from a selection), and saves exports with a save dialog.
 *
 * The recent translations and the followed run's evaluations live in this module, not in the
 * panel, so closing and reopening the view (or a reload) shows them again.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import {
  parseAttentionMessage, PNG_PREFIX,
  type AttentionEvaluation, type AttentionItem, type AttentionOrigin, type AttentionRef, type AttentionState, type AttentionToHostMessage, type HostToAttentionMessage, type LiveRun,
} from '../../shared/attentionProtocol';
import type { EvalSample, ProgressEvent, TranslateRequest, Translation } from '../../shared/protocol';
import { ATTENTION_VIEW_TYPE } from '../../shared/webviewProtocol';
import { loadingBody } from '../../shared/webviewShell';
import { panelHtml, panelOptions, webviewOptions } from './html';
import { panelLog } from './log';
import { sourceTokenRanges } from './sourceRanges';
import { writeFileAtomically } from './atomicWrite';

/** What the panel needs from the rest of the extension (set once on activation). */
export interface AttentionHost {
  translate(params: TranslateRequest.Params, token?: vscode.CancellationToken): Promise<TranslateRequest.Result>;
  /** The model "Translate Selection" uses. */
  currentModel(): Promise<{ dir: string; name: string } | undefined>;
  /** A run's progress events (in memory for runs this window trains, else from metrics.jsonl). */
  history(runDir: string): Promise<ProgressEvent[]>;
  /** The run being trained, if any. */
  activeRunDir(): string | undefined;
}

/** Where a translation came from, kept by the host only. */
export interface TranslationOrigin {
  origin?: AttentionOrigin;
  model?: { dir: string; name: string };
  /** The editor selection the source was taken from. */
  selection?: { uri: vscode.Uri; range: vscode.Range };
}

interface HostItem {
  item: AttentionItem;
  modelDir?: string;
  selection?: { uri: vscode.Uri; range: vscode.Range };
}

const MAX_ITEMS = 12;
let host: AttentionHost | undefined;
let nextId = 1;
/** Newest first. */
let recent: HostItem[] = [];
let live: LiveRun | undefined;

function evaluationOf(event: Extract<ProgressEvent, { kind: 'eval' }>): AttentionEvaluation {
  return { step: event.step, epoch: event.epoch, sample: event.sample };
}

export class AttentionPanel {
  private static current: AttentionPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;
  private ready = false;
  private selectedId: string | undefined;
  /** Editor decorations of a highlighted row (created on the first highlight). */
  private decorations: { strong: vscode.TextEditorDecorationType; weak: vscode.TextEditorDecorationType } | undefined;

  /** Called once on activation. */
  static setHost(value: AttentionHost): void {
    host = value;
  }

  /**
   * Opens the attention view (showing `translation` when given, else what it showed last or
   * the followed run's validation sample), or reveals the open one.
   */
  static createOrShow(extensionUri: vscode.Uri, translation?: Translation, origin: TranslationOrigin = {}): AttentionPanel {
    const id = translation ? AttentionPanel.remember(translation, origin) : undefined;
    const open = AttentionPanel.current;
    if (open) {
      if (id) open.selectedId = id;
      open.sendItems();
      void open.followRun();
      open.panel.reveal(undefined, true);
      return open;
    }
    const panel = vscode.window.createWebviewPanel(
      ATTENTION_VIEW_TYPE,
      vscode.l10n.t('Attention'),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      panelOptions(extensionUri),
    );
    AttentionPanel.current = new AttentionPanel(panel, extensionUri, id ?? recent[0]?.item.id);
    return AttentionPanel.current;
  }

  /** Adopts a panel VS Code restored after a reload (see registerPanelSerializers). */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, state: AttentionState): AttentionPanel {
    if (AttentionPanel.current) {
      panel.dispose();
      return AttentionPanel.current;
    }
    // Items of an earlier session: shown again (without their model or selection).
    for (const item of [...state.items].reverse()) {
      if (!recent.some(r => r.item.id === item.id)) recent.unshift({ item: { ...item, id: `r${nextId++}` } });
    }
    recent = recent.slice(0, MAX_ITEMS);
    panel.webview.options = webviewOptions(extensionUri);
    AttentionPanel.current = new AttentionPanel(panel, extensionUri, recent[0]?.item.id);
    return AttentionPanel.current;
  }

  /** The open attention panel, if any (for tests and the host). */
  static get open(): AttentionPanel | undefined {
    return AttentionPanel.current;
  }

  /**
   * A training progress event (from TrainingController, like DashboardPanel.post): a run that
   * starts becomes the followed one; each evaluation adds its validation sample.
   */
  static post(runDir: string, event: ProgressEvent): void {
    const dir = path.resolve(runDir);
    if (event.kind === 'start') {
      live = { runDir: dir, name: path.basename(dir), training: true, evaluations: live?.runDir === dir ? live.evaluations : [] };
      AttentionPanel.current?.send({ type: 'live', live });
    } else if (event.kind === 'eval') {
      if (live?.runDir !== dir) {
        live = { runDir: dir, name: path.basename(dir), training: true, evaluations: [] };
        AttentionPanel.current?.send({ type: 'live', live });
      }
      const evaluation = evaluationOf(event);
      live.evaluations = [...live.evaluations.filter(e => e.step !== evaluation.step), evaluation];
      AttentionPanel.current?.send({ type: 'evaluation', runDir: dir, evaluation });
    }
  }

  /** The run ended (completed, stopped or crashed): its evaluations stay, no longer live. */
  static runEnded(runDir: string): void {
    if (live?.runDir !== path.resolve(runDir)) return;
    live.training = false;
    AttentionPanel.current?.send({ type: 'live', live });
  }

  private static remember(translation: Translation, origin: TranslationOrigin, extra: Partial<AttentionItem> = {}): string {
    const id = `t${nextId++}`;
    const item: AttentionItem = {
      id,
      label: translation.source.length > 60 ? `${translation.source.slice(0, 59)}…` : translation.source,
      origin: origin.origin ?? (origin.selection ? 'selection' : 'command'),
      translation,
      ...(origin.model ? { model: origin.model.name } : {}),
      ...extra,
    };
    recent = [{ item, modelDir: origin.model?.dir, selection: origin.selection }, ...recent].slice(0, MAX_ITEMS);
    return id;
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    selectedId: string | undefined,
  ) {
    this.selectedId = selectedId;
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icons', 'attention.svg');
    panel.webview.html = panelHtml(panel.webview, extensionUri, {
      title: vscode.l10n.t('Attention'),
      script: 'attention',
      styles: ['panels.css', 'attention.css'],
      body: loadingBody(vscode.l10n.t('Loading attention…')),
      lang: vscode.env.language,
    });
    this.disposables.push(
      panel.webview.onDidReceiveMessage(message => this.onMessage(message)),
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.ready = false;
      }),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  /** The recent items (for tests). */
  get items(): AttentionItem[] {
    return recent.map(r => r.item);
  }

  private send(message: HostToAttentionMessage): void {
    if (!this.disposed && this.ready) void this.panel.webview.postMessage(message);
  }

  /** The recent items, with the translation bundle the webview renders with (undefined in English). */
  private sendItems(): void {
    this.send({
      type: 'items',
      items: recent.map(r => r.item),
      ...(this.selectedId ? { selectedId: this.selectedId } : {}),
      ...(vscode.l10n.bundle ? { l10n: vscode.l10n.bundle } : {}),
    });
  }

  /** Follows the active run, else the selected model's run (its evaluations from disk). */
  private async followRun(): Promise<void> {
    const runDir = host?.activeRunDir() ?? (await host?.currentModel().catch(() => undefined))?.dir;
    if (!runDir) {
      this.send({ type: 'live', live });
      return;
    }
    const dir = path.resolve(runDir);
    if (live?.runDir !== dir) {
      let evaluations: AttentionEvaluation[] = [];
      try {
        const events = (await host?.history(dir)) ?? [];
        evaluations = events.filter((e): e is Extract<ProgressEvent, { kind: 'eval' }> => e.kind === 'eval').map(evaluationOf);
      } catch (e) {
        panelLog().warn(`attention: history of ${dir} not loaded: ${String(e)}`);
      }
      if (live?.runDir !== dir) live = { runDir: dir, name: path.basename(dir), training: host?.activeRunDir() === dir, evaluations };
    }
    live.training = host?.activeRunDir() === live.runDir;
    this.send({ type: 'live', live });
  }

  private async onMessage(raw: unknown): Promise<void> {
    const parsed = parseAttentionMessage(raw);
    if (!parsed.ok) {
      panelLog().warn(`attention: dropped an invalid message: ${parsed.error}`);
      return;
    }
    const message: AttentionToHostMessage = parsed.value;
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.sendItems();
        await this.followRun();
        return;
      case 'error':
        panelLog().error(`attention webview: ${message.message}`);
        return;
      case 'translate':
        return this.translateTyped(message.text, message.beamSize);
      case 'whatIf':
        return this.whatIf(message.ref, message.position, message.token);
      case 'highlightRow':
        return this.highlightRow(message.ref, message.row);
      case 'export':
        return this.saveExport(message.format, message.data, message.name);
    }
  }

  private async translateTyped(text: string, beamSize: number): Promise<void> {
    const model = await host?.currentModel();
    if (!host || !model) {
      this.send({ type: 'failed', message: vscode.l10n.t('There is no trained model yet. Train one first.') });
      return;
    }
    this.send({ type: 'busy', busy: true, message: vscode.l10n.t('Translating with {0}…', model.name) });
    try {
      const result = await host.translate({ modelDir: model.dir, lines: [text], beamSize });
      this.selectedId = AttentionPanel.remember(result.translations[0], { origin: 'typed', model });
      this.sendItems();
    } catch (e) {
      this.send({ type: 'failed', message: vscode.l10n.t('Translation failed: {0}', e instanceof Error ? e.message : String(e)) });
    } finally {
      this.send({ type: 'busy', busy: false });
    }
  }

  /** The translation (candidate or validation sample) a webview request refers to. */
  private async resolve(ref: AttentionRef): Promise<{ source: string; sourceTokens: string[]; tokens: string[]; probabilities: number[]; attention: number[][]; label: string; modelDir?: string; modelName?: string; hostItem?: HostItem } | undefined> {
    if (ref.kind === 'item') {
      const hostItem = recent.find(r => r.item.id === ref.itemId);
      if (!hostItem) return undefined;
      const t = hostItem.item.translation;
      const c = ref.candidate > 0 && t.candidates[ref.candidate] ? t.candidates[ref.candidate] : t;
      const fallback = hostItem.modelDir ? undefined : await host?.currentModel();
      return {
        source: t.source, sourceTokens: t.sourceTokens, tokens: c.tokens, probabilities: c.probabilities, attention: c.attention,
        label: ref.candidate > 0 ? vscode.l10n.t('candidate {0} of “{1}”', ref.candidate + 1, hostItem.item.label) : `“${hostItem.item.label}”`,
        modelDir: hostItem.modelDir ?? fallback?.dir, modelName: hostItem.item.model ?? fallback?.name, hostItem,
      };
    }
    const evaluation = live?.evaluations.find(e => e.step === ref.step);
    if (!live || !evaluation) return undefined;
    const s: EvalSample = evaluation.sample;
    return {
      source: s.source, sourceTokens: s.sourceTokens, tokens: s.tokens, probabilities: s.probabilities, attention: s.attention,
      label: vscode.l10n.t('the validation sample at step {0}', evaluation.step), modelDir: live.runDir, modelName: live.name,
    };
  }

  private async whatIf(ref: AttentionRef, position: number, token: string): Promise<void> {
    const base = await this.resolve(ref);
    if (!host || !base || !base.modelDir || !base.source || position > base.tokens.length) {
      this.send({ type: 'failed', message: vscode.l10n.t('This translation cannot be decoded again (its model or source is unknown).') });
      return;
    }
    const prefix = [...base.tokens.slice(0, position), token];
    this.send({ type: 'busy', busy: true, message: vscode.l10n.t('Decoding from the corrected prefix…') });
    try {
      const result = await host.translate({ modelDir: base.modelDir, lines: [base.source], forcedPrefix: prefix, beamSize: 1 });
      const translation = result.translations[0];
      this.selectedId = AttentionPanel.remember(
        translation,
        { origin: 'whatIf', model: { dir: base.modelDir, name: base.modelName ?? path.basename(base.modelDir) }, selection: base.hostItem?.selection },
        {
          label: vscode.l10n.t('“{0}” with token {1} = “{2}”', base.source, position + 1, token),
          whatIf: { position, baseLabel: base.label, base: { tokens: base.tokens, probabilities: base.probabilities, attention: base.attention } },
        },
      );
      this.sendItems();
    } catch (e) {
      this.send({ type: 'failed', message: vscode.l10n.t('What-if decoding failed: {0}', e instanceof Error ? e.message : String(e)) });
    } finally {
      this.send({ type: 'busy', busy: false });
    }
  }

  /** Decorates the source tokens row `row` attends to: strongly (≥ half the row's maximum) or lightly (≥ 15 %). */
  private async highlightRow(ref: AttentionRef, row: number): Promise<void> {
    const base = await this.resolve(ref);
    const selection = base?.hostItem?.selection;
    const weights = base?.attention[row];
    if (!base || !selection || !weights || weights.length === 0) return;
    let editor = vscode.window.visibleTextEditors.find(e => e.document.uri.toString() === selection.uri.toString());
    if (!editor) {
      try {
        editor = await vscode.window.showTextDocument(selection.uri, { viewColumn: vscode.ViewColumn.One, preserveFocus: true, preview: true });
      } catch (e) {
        panelLog().warn(`attention: could not show ${selection.uri.toString()}: ${String(e)}`);
        return;
      }
    }
    const document = editor.document;
    const selectedText = document.getText(selection.range);
    const start = document.offsetAt(selection.range.start);
    const ranges = sourceTokenRanges(selectedText, base.source, base.sourceTokens);
    const max = Math.max(...weights);
    const strong: vscode.Range[] = [];
    const weak: vscode.Range[] = [];
    ranges.forEach((r, i) => {
      if (!r || !(max > 0)) return;
      const range = new vscode.Range(document.positionAt(start + r.start), document.positionAt(start + r.end));
      if (weights[i] >= 0.5 * max) strong.push(range);
      else if (weights[i] >= 0.15 * max) weak.push(range);
    });
    if (!this.decorations) {
      this.decorations = {
        strong: vscode.window.createTextEditorDecorationType({
          backgroundColor: new vscode.ThemeColor('editor.findMatchBackground'),
          borderColor: new vscode.ThemeColor('editor.findMatchBorder'),
          borderStyle: 'solid',
          borderWidth: '1px',
        }),
        weak: vscode.window.createTextEditorDecorationType({ backgroundColor: new vscode.ThemeColor('editor.findMatchHighlightBackground') }),
      };
      this.disposables.push(this.decorations.strong, this.decorations.weak);
    }
    editor.setDecorations(this.decorations.strong, strong);
    editor.setDecorations(this.decorations.weak, weak);
    this.lastHighlight = { uri: document.uri.toString(), strong: strong.map(r => document.getText(r)), weak: weak.map(r => document.getText(r)) };
    if (strong[0]) editor.revealRange(strong[0], vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  /** The last editor highlight (for tests): the strongly and lightly highlighted source text. */
  lastHighlight: { uri: string; strong: string[]; weak: string[] } | undefined;

  private async saveExport(format: 'png' | 'json', data: string, name: string): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
      filters: format === 'png' ? { [vscode.l10n.t('PNG image')]: ['png'] } : { JSON: ['json'] },
      title: vscode.l10n.t('Export the attention map'),
    });
    if (!target) return;
    const bytes = format === 'png' ? Buffer.from(data.slice(PNG_PREFIX.length), 'base64') : Buffer.from(`${data}\n`, 'utf8');
    try {
      await writeAtomically(target, bytes);
      this.send({ type: 'exported', path: target.fsPath });
    } catch (e) {
      this.send({ type: 'failed', message: vscode.l10n.t('Could not save {0}: {1}', target.fsPath, e instanceof Error ? e.message : String(e)) });
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (AttentionPanel.current === this) AttentionPanel.current = undefined;
    this.panel.dispose();
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }
}

/** Saves an export: atomically on disk (writeFileAtomically), through the file system API elsewhere. */
async function writeAtomically(target: vscode.Uri, bytes: Uint8Array): Promise<void> {
  if (target.scheme === 'file') await writeFileAtomically(target.fsPath, bytes);
  else await vscode.workspace.fs.writeFile(target, bytes);
}
