/**
 * Every user-facing string of the extension host: the literal first argument of each
 * `vscode.l10n.t(...)` call under src/extension (found with the TypeScript parser, so calls
 * spanning lines count too). With `isTranslateCall` = `isWebviewT`, the same for the webviews'
 * `t(...)` of @vscode/l10n.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

/** `vscode.l10n.t(…)` / `l10n.t(…)`. */
export const isHostT = (callee: string): boolean => callee.endsWith('l10n.t');

/** A webview's `t(…)` (imported from @vscode/l10n or webview/common/l10n). */
export const isWebviewT = (callee: string): boolean => callee === 't' || isHostT(callee);

export function l10nStrings(root: string, isTranslateCall: (callee: string) => boolean = isHostT): Map<string, string> {
  const found = new Map<string, string>();
  const files = fs.readdirSync(root, { recursive: true, encoding: 'utf8' }).filter(f => f.endsWith('.ts'));
  for (const rel of files) {
    const file = path.join(root, rel);
    const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && isTranslateCall(node.expression.getText(source))) {
        const first = node.arguments[0];
        if (first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first))) found.set(first.text, rel);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}
