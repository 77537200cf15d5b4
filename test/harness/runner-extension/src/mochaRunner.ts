/**
 * Runs a folder of compiled mocha test files inside the current process (the extension host)
 * and returns structured results. Shared by the code-server runner extension and the
 * @vscode/test-electron entry (test/electron/index.ts).
 */
import * as fs from 'fs';
import Mocha from 'mocha';
import * as path from 'path';

export interface TestResult {
  fullTitle: string;
  file?: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: { message: string; stack?: string };
}

export interface RunResults {
  passes: number;
  failures: number;
  pending: number;
  durationMs: number;
  tests: TestResult[];
  /** Set when the run itself could not start or crashed. */
  error?: string;
  /** Where it ran (VS Code version, extension host kind), for the harness's log. */
  host?: Record<string, string>;
}

/**
 * Files that run first, in this order, because they share one extension host: extension.test
 * checks what activation alone did (no engine started), training.test starts from an empty runs
 * directory. The rest follow alphabetically.
 */
const FIRST = ['extension.test.js', 'training.test.js'];

export function findTestFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const rank = (f: string) => {
    const i = FIRST.indexOf(path.basename(f));
    return i < 0 ? FIRST.length : i;
  };
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter(f => f.endsWith('.test.js'))
    .map(f => path.join(dir, f))
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

export function runMocha(testsDir: string, options: { grep?: string; timeout?: number } = {}): Promise<RunResults> {
  const started = Date.now();
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: options.timeout ?? 60_000 });
  // A silent reporter: results are collected from the runner's events below.
  mocha.reporter(class extends Mocha.reporters.Base {});
  if (options.grep) mocha.grep(options.grep);
  const files = findTestFiles(testsDir);
  for (const f of files) mocha.addFile(f);
  const tests: TestResult[] = [];
  return new Promise(resolve => {
    if (files.length === 0) {
      resolve({ passes: 0, failures: 0, pending: 0, durationMs: 0, tests, error: `no *.test.js files in ${testsDir}` });
      return;
    }
    try {
      const runner = mocha.run(() => {
        const count = (s: TestResult['state']) => tests.filter(t => t.state === s).length;
        resolve({
          passes: count('passed'),
          failures: count('failed'),
          pending: count('pending'),
          durationMs: Date.now() - started,
          tests,
        });
      });
      runner.on('pass', t => tests.push({ fullTitle: t.fullTitle(), file: t.file, state: 'passed', durationMs: t.duration }));
      runner.on('pending', t => tests.push({ fullTitle: t.fullTitle(), file: t.file, state: 'pending' }));
      runner.on('fail', (t, err: Error) =>
        tests.push({
          fullTitle: t.fullTitle(),
          file: t.file,
          state: 'failed',
          durationMs: t.duration,
          error: { message: String(err?.message ?? err), stack: err?.stack },
        }),
      );
    } catch (e) {
      const err = e as Error;
      resolve({ passes: 0, failures: 1, pending: 0, durationMs: Date.now() - started, tests, error: err.stack ?? String(err) });
    }
  });
}
