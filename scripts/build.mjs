// Bundles the engine (CLI + child-process entry) and the extension with esbuild.
//
// TensorFlow.js is bundled from its ES modules, so tfjs-core exists once and its gradient
// definitions (an ESM-only side-effect module) come along; the WASM backend's .wasm files are
// copied next to the bundle, where src/engine/backend finds them. tfjs-node stays external:
// it is an optional native package. pinyin-pro stays external because the pinyin task reads
// its dictionary from the installed package.
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as path from 'path';
import { rendererBuild } from './build-renderer.mjs';

const watch = process.argv.includes('--watch');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  mainFields: ['module', 'main'],
  external: ['vscode', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', 'pinyin-pro'],
};

/** Each entry: the file, where it goes. Others (extension, webviews) add theirs here. */
export const entries = [
  { entryPoints: ['src/engine/cli.ts'], outfile: 'dist/cli.js' },
  { entryPoints: ['src/engine/main.ts'], outfile: 'dist/engine.js' },
  { entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js' },
  // Webview bundles (one per panel): browser IIFEs loaded by src/extension/panels under a nonce CSP.
  ...['form', 'dashboard', 'attention', 'diffs', 'compare', 'experiments', 'sweep'].map(name => ({
    entryPoints: [`webview/${name}/main.ts`],
    outfile: `dist/webview/${name}.js`,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    mainFields: ['browser', 'module', 'main'],
    external: [],
    minify: true,
    define: { 'process.env.NODE_ENV': '"production"' },
  })),
  // The experiment log's notebook renderer: an ES module VS Code's notebook webview imports.
  { ...rendererBuild, external: [] },
];

// `--only=<text>` builds just the entries whose outfile contains <text> (e.g. --only=extension).
const only = process.argv.find(a => a.startsWith('--only='))?.slice('--only='.length);
const selected = only ? entries.filter(entry => entry.outfile.includes(only)) : entries;
const contexts = await Promise.all(selected.map(entry => esbuild.context({ ...common, ...entry })));
fs.mkdirSync('dist', { recursive: true });
const wasmDir = 'node_modules/@tensorflow/tfjs-backend-wasm/dist';
for (const file of fs.readdirSync(wasmDir).filter(f => f.endsWith('.wasm'))) {
  fs.copyFileSync(path.join(wasmDir, file), path.join('dist', file));
}
// The optional native matmul kernel (scripts/buildNative.mjs) goes beside the engine bundle,
// where src/engine/backend/nativeMatMul.ts looks first; a stale copy goes when it is not built.
// Copied to a temporary name and renamed over the old one: a running engine has the old file
// mapped, and overwriting it in place changed its code under it (a g2p run went from loss 0.26
// to a uniform output in the minute a build ran). A rename leaves the old file to the process.
const nativeKernel = 'native/build/Release/seq2seq_blas.node';
if (fs.existsSync(nativeKernel)) {
  const temporary = `dist/seq2seq_blas.node.${process.pid}.tmp`;
  fs.copyFileSync(nativeKernel, temporary);
  fs.renameSync(temporary, 'dist/seq2seq_blas.node');
} else fs.rmSync('dist/seq2seq_blas.node', { force: true });
if (watch) {
  await Promise.all(contexts.map(c => c.watch()));
} else {
  await Promise.all(contexts.map(c => c.rebuild()));
  await Promise.all(contexts.map(c => c.dispose()));
}
