// Bundles the engine (CLI + child-process entry) and the extension with esbuild.
// TensorFlow.js stays external: the WASM backend loads its .wasm files from its own
// node_modules folder, and tfjs-node is an optional native package.
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  external: ['vscode', '@tensorflow/*'],
};

/** Each entry: the file, where it goes. Others (extension, webviews) add theirs here. */
export const entries = [
  { entryPoints: ['src/engine/cli.ts'], outfile: 'dist/cli.js' },
  { entryPoints: ['src/engine/main.ts'], outfile: 'dist/engine.js' },
];

const contexts = await Promise.all(entries.map(entry => esbuild.context({ ...common, ...entry })));
if (watch) {
  await Promise.all(contexts.map(c => c.watch()));
} else {
  await Promise.all(contexts.map(c => c.rebuild()));
  await Promise.all(contexts.map(c => c.dispose()));
}
