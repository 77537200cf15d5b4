/**
 * One harness session per mocha describe block: started in `before` (after the .vsix is checked),
 * a screenshot of every failing test, diagnostics and a kept session folder when anything failed,
 * stopped in `after`. Call it in the describe body; `onStart` hands the session to the suite.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import { EXTENSION_VSIX } from './paths';
import { HarnessSession, type SessionOptions } from './session';

export interface SessionHooks {
  /** Runs in `before`, ahead of the session (e.g. create a runs folder, train fixture runs). */
  prepare?: () => void | Promise<void>;
  /** Runs last in `after`; `failed` says whether any test of the block failed. */
  cleanup?: (failed: boolean) => void;
}

export function useHarnessSession(name: string, options: () => SessionOptions, onStart: (session: HarnessSession) => void, hooks: SessionHooks = {}): void {
  let session: HarnessSession | undefined;
  let failed = false;

  before(async function () {
    // Fixture runs and the server's start take longer than one test.
    this.timeout(Math.max(this.timeout(), 300_000));
    assert.ok(fs.existsSync(EXTENSION_VSIX), `${EXTENSION_VSIX} missing: run npm run build:harness`);
    await hooks.prepare?.();
    session = await HarnessSession.start(options());
    onStart(session);
  });

  afterEach(async function () {
    if (this.currentTest?.state !== 'failed') return;
    failed = true;
    const slug = this.currentTest.title.replace(/\W+/g, '-').slice(0, 80);
    await session?.screenshot(`failed-${name}-${slug}`).catch(() => undefined);
  });

  after(async function () {
    if (failed && session) console.error(session.diagnostics());
    await session?.stop({ keep: failed });
    hooks.cleanup?.(failed);
  });
}
