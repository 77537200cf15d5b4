/**
 * Translate Selection (editor context menu) and Show Attention. Each selected line is one
 * source sentence; the engine decodes them with the selected model. The result, with the
 * probability of every output token, is offered in a quick pick: replace the selection, insert
 * below it, or copy. The attention panel opens beside for the first line.
 */
import * as vscode from 'vscode';
import type { Translation } from '../../shared/protocol';
import { COMMANDS } from '../commandIds';
import { AttentionPanel } from '../panels';
import type { Services } from '../services';
import { describeError, showEngineError } from '../training/notify';

export function registerTranslateCommands(s: Services): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(COMMANDS.translate, () => translateSelection(s)),
    vscode.commands.registerCommand(COMMANDS.showAttention, () => showAttention(s)),
  ];
}

/** The selected text of each non-empty selection, split into lines. */
interface SelectedText {
  selection: vscode.Selection;
  lines: string[];
}

function selectedTexts(editor: vscode.TextEditor): SelectedText[] {
  return editor.selections
    .filter(sel => !sel.isEmpty)
    .map(selection => ({ selection, lines: editor.document.getText(selection).split(/\r?\n/) }));
}

/** Translates the selection; returns the translations (for tests), undefined when nothing was translated. */
export async function translateSelection(s: Services): Promise<Translation[] | undefined> {
  const editor = vscode.window.activeTextEditor;
  const selected = editor ? selectedTexts(editor) : [];
  const sources = selected.flatMap(t => t.lines).map(l => l.trim()).filter(l => l.length > 0);
  if (!editor || sources.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Select the text to translate first (one sentence per line).'));
    return undefined;
  }
  const model = await s.models.current();
  if (!model) {
    const train = vscode.l10n.t('Train Model');
    void vscode.window
      .showInformationMessage(vscode.l10n.t('There is no trained model yet. Train one first?'), train)
      .then(choice => choice === train && vscode.commands.executeCommand(COMMANDS.train));
    return undefined;
  }
  const unique = [...new Set(sources)];
  let translations: Translation[];
  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Translating with {0}', model.name) },
      (_, token) => s.engine.translate({ modelDir: model.dir, lines: unique }, token),
    );
    translations = result.translations;
  } catch (e) {
    void showEngineError(vscode.l10n.t('Translation failed: {0}', describeError(e)), s.log);
    return undefined;
  }
  const bySource = new Map(unique.map((line, i) => [line, translations[i]]));
  s.lastTranslation = translations[0];
  // The first translated line: its selection is kept so a row of the map can be highlighted there.
  const first = selected.find(t => t.lines.some(l => l.trim() === unique[0]));
  AttentionPanel.createOrShow(s.panels, translations[0], {
    model: { dir: model.dir, name: model.name },
    selection: first ? { uri: editor.document.uri, range: new vscode.Range(first.selection.start, first.selection.end) } : undefined,
  });
  // Not awaited: the quick pick stays open until the user chooses, and tests need the result now.
  void offerActions(editor, selected, bySource, model.name);
  return translations;
}

/** "2 99% · 0 97% · …": each output token with the probability it was chosen with. */
export function confidenceLine(t: Translation): string {
  return t.tokens
    .map((token, i) => `${token === ' ' ? '␣' : token} ${Math.round((t.probabilities[i] ?? 0) * 100)}%`)
    .join(' · ');
}

type ActionItem = vscode.QuickPickItem & { action?: 'replace' | 'insert' | 'copy'; copyText?: string };

async function offerActions(
  editor: vscode.TextEditor,
  selected: SelectedText[],
  bySource: Map<string, Translation>,
  modelName: string,
): Promise<void> {
  const translate = (line: string) => (line.trim() ? bySource.get(line.trim())?.output ?? line : line);
  const outputs = selected.map(t => t.lines.map(translate).join('\n'));
  const all = outputs.join('\n');
  const items: ActionItem[] = [
    { label: `$(replace) ${vscode.l10n.t('Replace')}`, description: vscode.l10n.t('Replace the selection with the translation'), action: 'replace' },
    { label: `$(insert) ${vscode.l10n.t('Insert Below')}`, description: vscode.l10n.t('Insert the translation below the selection'), action: 'insert' },
    { label: `$(copy) ${vscode.l10n.t('Copy')}`, description: vscode.l10n.t('Copy the translation to the clipboard'), action: 'copy' },
    { label: vscode.l10n.t('Per-token confidence'), kind: vscode.QuickPickItemKind.Separator },
    ...[...bySource.values()].slice(0, 20).map(t => ({
      label: t.output,
      description: `← ${t.source}`,
      detail: confidenceLine(t),
      copyText: t.output,
    })),
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Translation ({0}): {1}', modelName, all.split('\n').join(' ⏎ ')),
    placeHolder: vscode.l10n.t('Replace, insert below or copy'),
    matchOnDetail: true,
  });
  if (!picked) return;
  if (picked.copyText !== undefined || picked.action === 'copy') {
    await vscode.env.clipboard.writeText(picked.copyText ?? all);
    return;
  }
  await editor.edit(edit => {
    selected.forEach((t, i) => {
      if (picked.action === 'replace') edit.replace(t.selection, outputs[i]);
      else edit.insert(editor.document.lineAt(t.selection.end.line).range.end, `\n${outputs[i]}`);
    });
  });
}

export function showAttention(s: Services): AttentionPanel | undefined {
  // Shows the recent translations (the last one selected) and the current run's validation sample.
  return AttentionPanel.createOrShow(s.panels);
}
