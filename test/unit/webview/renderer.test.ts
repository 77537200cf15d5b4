/** The notebook renderer bundles as VS Code loads it: one ES module exporting `activate`. */
import { strict as assert } from 'assert';
import * as esbuild from 'esbuild';
import * as path from 'path';

describe('notebook renderer build', () => {
  it('bundles webview/renderer into an ESM module with activate and no Node built-ins', async function () {
    this.timeout(60000);
    const root = path.join(__dirname, '..', '..', '..');
    const { rendererBuild } = (await import(path.join(root, 'scripts', 'build-renderer.mjs'))) as { rendererBuild: esbuild.BuildOptions };
    const result = await esbuild.build({ ...rendererBuild, absWorkingDir: root, write: false, minify: false, sourcemap: false, metafile: true });
    const js = result.outputFiles.find(file => file.path.endsWith('.js'))!.text;
    assert.match(js, /export\s*\{[^}]*\bactivate\b[^}]*\}/);
    const inputs = Object.keys(result.metafile!.inputs);
    assert.ok(inputs.some(input => input.includes('node_modules/chart.js')));
    assert.ok(inputs.some(input => input.includes('node_modules/diff')));
    // The renderer runs in a webview: anything needing Node (Buffer, fs, vscode) would break it.
    assert.ok(!inputs.some(input => /register|notebookController|serializer|export(Markdown|Ipynb)/.test(input)), inputs.join('\n'));
  });
});
