/**
 * Helpers the browser tests share: workbench steps (open dates.txt, fill the Train Model form)
 * and file-system and process checks (the harness machine is the engine's machine).
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Frame, Locator, Page } from 'playwright-core';
import { ROOT } from '../harness/paths';
import type { HarnessSession } from '../harness/session';

/** Opens the workspace's dates.txt (Quick Open) in the first editor group and focuses its text. */
export async function openDatesFile(page: Page): Promise<Locator> {
  await page.keyboard.press('Control+P');
  await page.locator('.quick-input-widget .quick-input-box input').fill('dates.txt');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'dates.txt' }).first().click();
  const lines = page.locator('.editor-instance .monaco-editor .view-lines').first();
  await lines.waitFor({ timeout: 30_000 });
  await lines.click();
  return lines;
}

/** In the Train Model form: the Fast demo preset, the `dates` task, then `fields` (label → text); the form must be ready. */
export async function fillDatesForm(form: Frame, fields: Record<string, string>): Promise<void> {
  await form.locator('#preset').click();
  await form.locator('#preset vscode-option', { hasText: 'Fast demo' }).first().click();
  await form.getByRole('radio', { name: 'Built-in task' }).click();
  await form.locator('#task').click();
  await form.locator('#task vscode-option', { hasText: /^\s*dates —/ }).first().click();
  for (const [label, text] of Object.entries(fields)) await form.getByRole('textbox', { name: label, exact: true }).fill(text);
  assert.equal(await form.locator('#summary').innerText(), 'Ready to train.');
}

/** Saves a screenshot and, with `docs`, copies it to docs/images/<docs>.png (the README's pictures). */
export async function shot(session: HarnessSession, name: string, docs?: string): Promise<void> {
  const file = await session.screenshot(name);
  if (docs) fs.copyFileSync(file, path.join(ROOT, 'docs', 'images', `${docs}.png`));
}

export function readManifest(runDir: string): { state: string; step: number; createdAt: string; pid?: number } {
  return JSON.parse(fs.readFileSync(path.join(runDir, 'manifest.json'), 'utf8'));
}

/** The most recently created run directory (with a manifest) under `runsDir`. */
export function newestRun(runsDir: string): string | undefined {
  const runs = fs
    .readdirSync(runsDir)
    .map(name => path.join(runsDir, name))
    .filter(dir => fs.existsSync(path.join(dir, 'manifest.json')));
  return runs.sort((a, b) => readManifest(b).createdAt.localeCompare(readManifest(a).createdAt))[0];
}

/** pids of engine processes forked from the extension installed in `extensionsDir` (Linux /proc). */
export function engineProcesses(extensionsDir: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (cmdline.some(arg => arg.startsWith(extensionsDir) && arg.endsWith(path.join('dist', 'engine.js')))) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** Picks the quick pick row containing `text` (a command opened the quick pick): types it, then clicks the row. */
export async function pickQuickItem(page: Page, text: string): Promise<void> {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 30_000 });
  await input.fill(text);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first();
  await row.waitFor({ timeout: 30_000 });
  await row.click();
}

/** The webview reported no CSP violation and no error (the shell's data attributes). */
export async function assertNoWebviewErrors(frame: Frame): Promise<void> {
  const body = frame.locator('body');
  assert.equal(await body.getAttribute('data-csp-violations'), null, 'no CSP violations in the webview');
  assert.equal(await body.getAttribute('data-errors'), null, 'no errors reported by the webview');
}
