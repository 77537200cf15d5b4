/** The engine, the shared protocol and the webviews never import `vscode`: they run outside the extension host. */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(full) : /\.(ts|tsx|js|mjs)$/.test(entry.name) ? [full] : [];
  });
}

describe('layering', () => {
  for (const folder of ['src/engine', 'src/shared', 'webview']) {
    it(`${folder} does not import vscode`, () => {
      const files = sourceFiles(path.join(ROOT, folder));
      if (folder !== 'webview') assert.ok(files.length > 0);
      for (const file of files) {
        const text = fs.readFileSync(file, 'utf8');
        assert.ok(!/from\s+['"]vscode['"]|require\(\s*['"]vscode['"]\s*\)/.test(text), `${path.relative(ROOT, file)} imports vscode`);
      }
    });
  }
});
