/**
 * Highlights in the editor the source tokens one row of the attention map attends to, when the
 * source came from a selection: strongly (≥ half the row's maximum) or lightly (≥ 15 %). The
 * token positions come from sourceRanges.ts; the two decoration types are made on the first
 * highlight and disposed with the panel.
 */
import * as vscode from 'vscode';
import { panelLog } from '../log';
import { sourceTokenRanges } from '../sourceRanges';
import type { ResolvedRef } from './requests';

/** What was highlighted last (for tests): the strongly and lightly highlighted source text. */
export interface Highlight {
  uri: string;
  strong: string[];
  weak: string[];
}

export class SourceHighlighter implements vscode.Disposable {
  private decorations: { strong: vscode.TextEditorDecorationType; weak: vscode.TextEditorDecorationType } | undefined;
  last: Highlight | undefined;

  async highlightRow(base: ResolvedRef | undefined, row: number): Promise<void> {
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
    const decorations = this.decorationTypes();
    editor.setDecorations(decorations.strong, strong);
    editor.setDecorations(decorations.weak, weak);
    this.last = { uri: document.uri.toString(), strong: strong.map(r => document.getText(r)), weak: weak.map(r => document.getText(r)) };
    if (strong[0]) editor.revealRange(strong[0], vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  private decorationTypes(): { strong: vscode.TextEditorDecorationType; weak: vscode.TextEditorDecorationType } {
    this.decorations ??= {
      strong: vscode.window.createTextEditorDecorationType({
        backgroundColor: new vscode.ThemeColor('editor.findMatchBackground'),
        borderColor: new vscode.ThemeColor('editor.findMatchBorder'),
        borderStyle: 'solid',
        borderWidth: '1px',
      }),
      weak: vscode.window.createTextEditorDecorationType({ backgroundColor: new vscode.ThemeColor('editor.findMatchHighlightBackground') }),
    };
    return this.decorations;
  }

  dispose(): void {
    this.decorations?.strong.dispose();
    this.decorations?.weak.dispose();
    this.decorations = undefined;
  }
}
