// Bundles the experiment log's notebook renderer (webview/renderer) with esbuild.
//
// Notebook renderers are ES modules loaded by VS Code's notebook webview (they export
// `activate`), so this is an ESM browser bundle, unlike the IIFE panel webviews.
// Usable alone (`node scripts/build-renderer.mjs [--watch]`) or from scripts/build.mjs via
// `import { rendererBuild } from './build-renderer.mjs'` (add it to `entries`).
import * as esbuild from 'esbuild';
import { fileURLToPath } from 'url';

export const rendererBuild = {
  entryPoints: ['webview/renderer/main.ts'],
  outfile: 'dist/renderer/runRenderer.js',
  bundle: true,
  platform: 'browser',
  format: 'esm',
  target: 'es2022',
  mainFields: ['browser', 'module', 'main'],
  sourcemap: true,
  minify: true,
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': '"production"' },
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--watch')) {
    await (await esbuild.context(rendererBuild)).watch();
  } else {
    await esbuild.build(rendererBuild);
  }
}
