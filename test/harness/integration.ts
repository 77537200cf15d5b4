/**
 * `npm run test:integration`: the integration tests (test/integration/**\/*.test.ts) inside the
 * real extension host of code-server. Packages the extension and the runner extension, installs
 * both into a fresh session, opens the workbench in chromium (that starts the extension host),
 * waits for the runner's JSON results and prints them. Exit code: 0 only if every test passed.
 *
 * Env: HARNESS_TIMEOUT (s, default 300), SEQ2SEQ_HARNESS_GREP (mocha grep), HARNESS_KEEP=1, HARNESS_SKIP_BUILD=1.
 */
import * as fs from 'fs';
import * as path from 'path';
import { buildAll } from './build';
import type { RunResults } from './runner-extension/src/mochaRunner';
import { EXTENSION_VSIX, GREP_ENV, RESULTS_ENV, RUNNER_VSIX } from './paths';
import { HarnessSession, log, waitFor } from './session';

function printResults(r: RunResults): void {
  const byFile = new Map<string, typeof r.tests>();
  for (const t of r.tests) {
    const key = path.basename(t.file ?? '?');
    byFile.set(key, [...(byFile.get(key) ?? []), t]);
  }
  for (const [file, tests] of byFile) {
    console.log(`\n  ${file}`);
    for (const t of tests) {
      const mark = t.state === 'passed' ? '✓' : t.state === 'failed' ? '✗' : '-';
      console.log(`    ${mark} ${t.fullTitle}${t.durationMs !== undefined ? ` (${t.durationMs} ms)` : ''}`);
      if (t.error) console.log(`        ${(t.error.stack ?? t.error.message).split('\n').join('\n        ')}`);
    }
  }
  if (r.host) console.log(`\n  host: ${Object.entries(r.host).map(([k, v]) => `${k}=${v}`).join(', ')}`);
  console.log(`\n  ${r.passes} passing, ${r.failures} failing, ${r.pending} pending (${r.durationMs} ms in the extension host)`);
  if (r.error) console.log(`  runner error: ${r.error}`);
}

async function main(): Promise<number> {
  const t0 = Date.now();
  const timeoutS = Number(process.env.HARNESS_TIMEOUT ?? 300);
  const vsix =
    process.env.HARNESS_SKIP_BUILD === '1' ? { extension: EXTENSION_VSIX, runner: RUNNER_VSIX } : await buildAll();
  const resultsDir = fs.mkdtempSync(path.join(require('os').tmpdir(), 'seq2seq-results-'));
  const resultsFile = path.join(resultsDir, 'results.json');
  const env: Record<string, string> = { [RESULTS_ENV]: resultsFile };
  if (process.env[GREP_ENV]) env[GREP_ENV] = process.env[GREP_ENV]!;

  let session: HarnessSession | undefined;
  let ok = false;
  try {
    session = await HarnessSession.start({ extensions: [vsix.extension, vsix.runner], env });
    await waitFor('the runner extension to start', () => fs.existsSync(resultsFile + '.started') || undefined, 90_000);
    log('runner extension started the mocha suite in the extension host');
    const results = await waitFor<RunResults>(
      'the integration results',
      () => (fs.existsSync(resultsFile) ? (JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as RunResults) : undefined),
      timeoutS * 1000,
      500,
    );
    printResults(results);
    ok = !results.error && results.failures === 0 && results.passes > 0;
    if (!ok) {
      await session.screenshot('integration-failure').catch(() => undefined);
      console.error(session.diagnostics());
    }
  } catch (e) {
    console.error(`\n${e instanceof Error ? e.message : String(e)}`);
    if (session) {
      await session.screenshot('integration-failure').catch(() => undefined);
      console.error(session.diagnostics());
    }
  } finally {
    await session?.stop({ keep: !ok });
    fs.rmSync(resultsDir, { recursive: true, force: true });
  }
  log(`integration ${ok ? 'PASSED' : 'FAILED'} in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  return ok ? 0 : 1;
}

main().then(
  code => process.exit(code),
  e => {
    console.error(e);
    process.exit(1);
  },
);
