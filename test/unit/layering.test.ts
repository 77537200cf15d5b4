/**
 * The architecture as the imports draw it: the wings (src/engine, src/extension, webview) meet
 * only in src/shared, which imports nothing outside itself; the engine, src/shared and the
 * webviews never import `vscode` (they run outside the extension host); and no file imports
 * itself through a cycle. Scripts and tests may import anything.
 *
 * The rules are checked on the real tree and, so that a broken checker cannot pass silently,
 * on small planted graphs that break each rule.
 */
import { strict as assert } from 'assert';
import * as path from 'path';
import { buildImportGraph, type ImportGraph, importCycles, importSpecifiers, resolveImport, vscodeImports, wingCrossings } from './importGraph';

const ROOT = path.join(__dirname, '..', '..');

const graphOf = (edges: Record<string, string[]>): ImportGraph => new Map(Object.entries(edges));

describe('layering', () => {
  const graph = buildImportGraph(ROOT, ['src', 'webview', 'scripts', 'test']);

  it('reads the real import graph', () => {
    // A sanity floor: the tree has well over a hundred source files, and known edges are found.
    assert.ok(graph.size > 150, `only ${graph.size} files found`);
    assert.ok(graph.get('src/engine/train/evaluate.ts')?.includes('src/shared/scoring/index.ts'), 'evaluate.ts → shared/scoring not found');
    assert.ok(graph.get('webview/renderer/main.ts')?.includes('src/shared/experimentLog/runCharts.ts'), 'renderer → experimentLog not found');
  });

  it('no wing imports another except through src/shared', () => {
    assert.deepEqual(wingCrossings(graph), []);
  });

  it('has no import cycle', () => {
    assert.deepEqual(importCycles(graph).map(cycle => cycle.join(' → ')), []);
  });

  for (const folder of ['src/engine', 'src/shared', 'webview']) {
    it(`${folder} does not import vscode`, () => {
      assert.deepEqual(vscodeImports(ROOT, [folder]), []);
    });
  }

  describe('the checker', () => {
    it('finds every import form', () => {
      const text = [
        "import * as fs from 'fs';",
        "import type { A } from './a';",
        "import { b,\n  c } from \"../b\";",
        "export { d } from './d';",
        "export * from './e';",
        "import './side-effect';",
        "const f = require('./f');",
        "const g = await import('./g');",
        "import * as vscode from 'vscode';",
      ].join('\n');
      assert.deepEqual(importSpecifiers(text), ['fs', './a', '../b', './d', './e', './side-effect', './f', './g', 'vscode']);
    });

    it('resolves relative imports to files and ignores packages', () => {
      const known = new Set(['src/shared/metrics.ts', 'src/shared/scoring/index.ts', 'scripts/build.mjs']);
      assert.equal(resolveImport('src/engine/train/evaluate.ts', '../../shared/scoring', known), 'src/shared/scoring/index.ts');
      assert.equal(resolveImport('src/engine/train/evaluate.ts', '../../shared/metrics', known), 'src/shared/metrics.ts');
      assert.equal(resolveImport('scripts/x.mjs', './build.mjs', known), 'scripts/build.mjs');
      assert.equal(resolveImport('src/engine/a.ts', 'vscode-jsonrpc', known), undefined);
    });

    it('flags a planted wing crossing and shared importing a wing, and allows scripts and tests', () => {
      const planted = graphOf({
        'webview/diffs/model.ts': ['src/engine/metrics/bleu.ts', 'src/shared/metrics.ts', 'webview/common/dom.ts'],
        'src/extension/runs/manifest.ts': ['src/engine/train/runDir.ts'],
        'src/shared/protocol.ts': ['src/extension/engineClient/errors.ts'],
        'scripts/bench.ts': ['src/engine/train/trainer.ts', 'src/extension/panels/html.ts'],
        'test/unit/x.test.ts': ['webview/form/model.ts', 'src/engine/cli.ts'],
      });
      assert.deepEqual(wingCrossings(planted), [
        'webview/diffs/model.ts → src/engine/metrics/bleu.ts',
        'src/extension/runs/manifest.ts → src/engine/train/runDir.ts',
        'src/shared/protocol.ts → src/extension/engineClient/errors.ts',
      ]);
    });

    it('finds planted cycles (two files, three files, a self-import) and not a diamond', () => {
      const planted = graphOf({
        'a.ts': ['b.ts'],
        'b.ts': ['a.ts', 'c.ts'],
        'c.ts': [],
        'p.ts': ['q.ts'],
        'q.ts': ['r.ts'],
        'r.ts': ['p.ts'],
        's.ts': ['s.ts'],
        'top.ts': ['left.ts', 'right.ts'],
        'left.ts': ['bottom.ts'],
        'right.ts': ['bottom.ts'],
        'bottom.ts': [],
      });
      assert.deepEqual(importCycles(planted).map(cycle => cycle.join(' → ')).sort(), ['a.ts → b.ts → a.ts', 'p.ts → q.ts → r.ts → p.ts', 's.ts → s.ts']);
    });
  });
});
