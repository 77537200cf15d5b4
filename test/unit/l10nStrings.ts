/**
 * Every user-facing string of the extension host: the literal first argument of each
 * `vscode.l10n.t(...)` call under src/extension (found with the TypeScript parser, so calls
 * spanning lines count too).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

export function l10nStrings(root: string): Map<string, string> {
  const found = new Map<string, string>();
  const files = fs.readdirSync(root, { recursive: true, encoding: 'utf8' }).filter(f => f.endsWith('.ts'));
  for (const rel of files) {
    const file = path.join(root, rel);
    const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && node.expression.getText(source).endsWith('l10n.t')) {
        const first = node.arguments[0];
        if (first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first))) found.set(first.text, rel);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}
