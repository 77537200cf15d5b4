/**
 * Builds everything the harness installs:
 *   - the extension bundle (scripts/build.mjs → dist/extension.js),
 *   - the integration tests, one bundle per file (test/integration/**\/*.test.ts → out/integration),
 *   - the runner extension, staged with those tests and packaged (.vscode-test/build/*.vsix),
 *   - the @vscode/test-electron entry points (out/electron).
 * and packages the extension itself with `vsce package` (dependencies included).
 *
 * CLI: `tsx test/harness/build.ts` (all), `--package` (only the product's .vsix), `--tests` (no .vsix:
 * the bundles for @vscode/test-electron).
 */
import { execFileSync } from 'child_process';
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as path from 'path';
import { checkExtensionVsix } from './vsix';
import {
  BUILD, EXTENSION_VSIX, OUT_ELECTRON, OUT_INTEGRATION, ROOT, RUNNER_SOURCE, RUNNER_STAGING, RUNNER_VSIX,
} from './paths';

const VSCE = path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');

const common: esbuild.BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  sourcemap: 'inline',
  logLevel: 'warning',
  external: ['vscode'],
  // mocha's parallel mode (never used in the extension host) resolves worker files at run time.
  logOverride: { 'require-resolve-not-external': 'silent' },
};

function log(msg: string): void {
  console.log(`[harness build] ${msg}`);
}

function timed<T>(what: string, fn: () => T): T {
  const t = Date.now();
  const r = fn();
  log(`${what} (${((Date.now() - t) / 1000).toFixed(1)}s)`);
  return r;
}

export function buildExtension(): void {
  // Everything: the extension forks dist/engine.js and its panels load dist/webview/*.js.
  timed('dist (extension, engine, webviews)', () =>
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' }),
  );
}

function findTs(dir: string, suffix: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter(f => f.endsWith(suffix))
    .map(f => path.join(dir, f));
}

export async function buildTests(): Promise<void> {
  const t = Date.now();
  const integrationDir = path.join(ROOT, 'test', 'integration');
  const testFiles = findTs(integrationDir, '.test.ts');
  fs.rmSync(OUT_INTEGRATION, { recursive: true, force: true });
  await esbuild.build({
    ...common,
    entryPoints: testFiles,
    outbase: integrationDir,
    outdir: OUT_INTEGRATION,
    // Tests run where the extension is installed, so its node_modules are not next to them.
    // Keep the real runtime deps external only if a test needs the installed copy.
  });
  await esbuild.build({
    ...common,
    entryPoints: {
      index: path.join(ROOT, 'test', 'electron', 'index.ts'),
      runTest: path.join(ROOT, 'test', 'electron', 'runTest.ts'),
    },
    outdir: OUT_ELECTRON,
    external: ['vscode', '@vscode/test-electron'],
  });
  // Runner extension: package.json + README + dist/runner.js + dist/tests/*.test.js.
  fs.rmSync(RUNNER_STAGING, { recursive: true, force: true });
  fs.mkdirSync(path.join(RUNNER_STAGING, 'dist'), { recursive: true });
  for (const f of ['package.json', 'README.md']) fs.copyFileSync(path.join(RUNNER_SOURCE, f), path.join(RUNNER_STAGING, f));
  fs.writeFileSync(path.join(RUNNER_STAGING, 'LICENSE'), 'MIT\n');
  await esbuild.build({
    ...common,
    entryPoints: [path.join(RUNNER_SOURCE, 'src', 'runner.ts')],
    outfile: path.join(RUNNER_STAGING, 'dist', 'runner.js'),
  });
  fs.cpSync(OUT_INTEGRATION, path.join(RUNNER_STAGING, 'dist', 'tests'), { recursive: true });
  log(`${testFiles.length} integration test file(s), runner extension, electron entry (${((Date.now() - t) / 1000).toFixed(1)}s)`);
}

function vsce(cwd: string, out: string, extra: string[]): void {
  fs.mkdirSync(path.dirname(out), { recursive: true });
  execFileSync(process.execPath, [VSCE, 'package', '--out', out, ...extra], { cwd, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, CI: 'true' } });
}

export function packageExtension(): string {
  // Plain `vsce package` (no flags beyond where to write), as publishing pipelines run it: the
  // repository, bugs and homepage of package.json make README links absolute, LICENSE is there.
  // Dependencies are packaged (vsce's default): the engine needs @tensorflow/* at run time;
  // tfjs-node is excluded in .vscodeignore.
  timed('vsce package', () => vsce(ROOT, EXTENSION_VSIX, []));
  checkExtensionVsix(EXTENSION_VSIX);
  const mb = fs.statSync(EXTENSION_VSIX).size / 1e6;
  log(`${path.relative(ROOT, EXTENSION_VSIX)}: ${mb.toFixed(2)} MB${mb > 30 ? '  (OVER the 30 MB budget)' : ''}`);
  return EXTENSION_VSIX;
}

export function packageRunner(): string {
  // The runner is a test fixture with no repository or licence of its own.
  timed('vsce package runner', () => vsce(RUNNER_STAGING, RUNNER_VSIX, ['--no-dependencies', '--allow-missing-repository', '--skip-license', '--no-rewrite-relative-links']));
  return RUNNER_VSIX;
}

/** Everything, in order. Returns the two .vsix paths. */
export async function buildAll(): Promise<{ extension: string; runner: string }> {
  fs.mkdirSync(BUILD, { recursive: true });
  buildExtension();
  await buildTests();
  return { extension: packageExtension(), runner: packageRunner() };
}

if (require.main === module) {
  (async () => {
    if (process.argv.includes('--package')) {
      buildExtension();
      packageExtension();
    } else if (process.argv.includes('--tests')) {
      buildExtension();
      await buildTests();
    } else {
      await buildAll();
    }
  })().catch(e => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
