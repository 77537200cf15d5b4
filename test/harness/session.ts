/**
 * One harness session: a fresh code-server (VS Code 1.139 server with a real Node extension host)
 * bound to 127.0.0.1 on a free port, with fresh user-data, extensions and workspace folders, the
 * given .vsix files installed, and a headless Debian chromium (playwright-core) showing its
 * workbench. `stop()` ends every process it started; so do exit and SIGINT/SIGTERM.
 *
 * Why one long file: starting, driving (open the workbench, run a command, find a webview
 * frame, read a notification) and stopping a session share its processes and their clean-up;
 * in one class, every process it starts is one it also stops. Mocha wiring is in
 * mochaSession.ts.
 */
import { ChildProcess, execFile, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import { BrowserContext, chromium, Frame, Page } from 'playwright-core';
import { CHROMIUM, CODE_SERVER_ENTRY, NODE, ROOT, SCREENSHOTS, WORKSPACE_TEMPLATE } from './paths';

const execFileAsync = promisify(execFile);

export interface SessionOptions {
  /** .vsix files installed into the session's fresh extensions dir. */
  extensions: string[];
  /** Extra environment for code-server; its extension host inherits it. */
  env?: Record<string, string>;
  /** Extra user settings (merged over the harness defaults). */
  settings?: Record<string, unknown>;
  /** Start chromium and open the workbench (default true). The extension host starts only when a window connects. */
  browser?: boolean;
  /** Browser viewport. */
  viewport?: { width: number; height: number };
  /**
   * false: workspace trust is on and the workspace is not trusted, so it opens in Restricted
   * Mode (default true: trust disabled, everything trusted).
   */
  trusted?: boolean;
  /** User keybindings (keybindings.json), e.g. to invoke a command the palette hides. */
  keybindings?: Array<{ key: string; command: string }>;
}

/** Settings for a quiet, trusted, reproducible workbench. */
const DEFAULT_SETTINGS: Record<string, unknown> = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.colorTheme': 'Default Dark Modern',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'git.enabled': false,
  'window.commandCenter': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

const live = new Set<HarnessSession>();
let handlersInstalled = false;
function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  // Last resort, synchronous: kill the process groups of every server still running.
  process.on('exit', () => {
    for (const s of live) s.killNow();
  });
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, async () => {
      await Promise.allSettled([...live].map(s => s.stop()));
      process.exit(130);
    });
  }
}

export function log(msg: string): void {
  console.log(`[harness ${new Date().toISOString().slice(11, 19)}] ${msg}`);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, timeoutMs: number, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v !== undefined && v !== null && (v as unknown) !== false) return v;
    } catch (e) {
      lastError = e;
    }
    await sleep(everyMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
}

export function checkInstalled(): void {
  const missing = [NODE, CODE_SERVER_ENTRY, CHROMIUM].filter(p => !fs.existsSync(p));
  if (missing.length) {
    throw new Error(`missing ${missing.join(', ')}: run scripts/harness/install.sh first`);
  }
}

export class HarnessSession {
  readonly dir: string;
  readonly workspace: string;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  readonly browserProfile: string;
  readonly serverLog: string;
  readonly config: string;
  port = 0;
  url = '';
  server?: ChildProcess;
  context?: BrowserContext;
  page?: Page;
  /** Errors printed by the workbench page (for diagnostics). */
  readonly consoleErrors: string[] = [];
  private stopped = false;

  private constructor(private readonly options: SessionOptions) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seq2seq-harness-'));
    this.workspace = path.join(this.dir, 'workspace');
    this.userDataDir = path.join(this.dir, 'user-data');
    this.extensionsDir = path.join(this.dir, 'extensions');
    this.browserProfile = path.join(this.dir, 'chromium-profile');
    this.serverLog = path.join(this.dir, 'code-server.log');
    this.config = path.join(this.dir, 'code-server.yaml');
  }

  static async start(options: SessionOptions): Promise<HarnessSession> {
    checkInstalled();
    installExitHandlers();
    const s = new HarnessSession(options);
    live.add(s);
    try {
      await s.prepare();
      await s.installExtensions();
      await s.startServer();
      if (options.browser !== false) await s.openWorkbench();
    } catch (e) {
      console.error(s.diagnostics());
      await s.stop({ keep: true });
      throw e;
    }
    return s;
  }

  /** Environment without a user's own code-server/VS Code config leaking in. */
  private env(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...this.options.env,
      PATH: `${path.dirname(NODE)}${path.delimiter}${process.env.PATH ?? ''}`,
      XDG_CONFIG_HOME: path.join(this.dir, 'xdg-config'),
      XDG_DATA_HOME: path.join(this.dir, 'xdg-data'),
      XDG_CACHE_HOME: path.join(this.dir, 'xdg-cache'),
    };
    for (const k of Object.keys(env)) {
      if (k.startsWith('VSCODE_') || k === 'ELECTRON_RUN_AS_NODE' || k === 'PASSWORD' || k === 'HASHED_PASSWORD' || k === 'PORT') {
        delete env[k];
      }
    }
    return env;
  }

  private async prepare(): Promise<void> {
    fs.mkdirSync(this.workspace, { recursive: true });
    if (fs.existsSync(WORKSPACE_TEMPLATE)) fs.cpSync(WORKSPACE_TEMPLATE, this.workspace, { recursive: true });
    fs.mkdirSync(path.join(this.userDataDir, 'User'), { recursive: true });
    fs.writeFileSync(
      path.join(this.userDataDir, 'User', 'settings.json'),
      JSON.stringify({ ...DEFAULT_SETTINGS, ...this.trustSettings(), ...this.options.settings }, null, 2),
    );
    if (this.options.keybindings) {
      fs.writeFileSync(path.join(this.userDataDir, 'User', 'keybindings.json'), JSON.stringify(this.options.keybindings, null, 2));
    }
    fs.mkdirSync(this.extensionsDir, { recursive: true });
    // An explicit config file, so code-server never writes ~/.config/code-server/config.yaml.
    fs.writeFileSync(this.config, 'auth: none\ncert: false\n');
    log(`session dir ${this.dir}`);
  }

  /** Restricted Mode without the startup prompt: trust on, the folder never trusted. */
  private trustSettings(): Record<string, unknown> {
    return this.options.trusted === false
      ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.banner': 'always' }
      : {};
  }

  private baseArgs(): string[] {
    return [CODE_SERVER_ENTRY, '--config', this.config, '--user-data-dir', this.userDataDir, '--extensions-dir', this.extensionsDir];
  }

  private async installExtensions(): Promise<void> {
    for (const vsix of this.options.extensions) {
      const t = Date.now();
      const { stdout, stderr } = await execFileAsync(NODE, [...this.baseArgs(), '--install-extension', vsix, '--force'], {
        env: this.env(),
        cwd: this.dir,
        timeout: 120_000,
      });
      const out = `${stdout}${stderr}`;
      if (!/successfully installed/i.test(out)) throw new Error(`installing ${vsix} failed:\n${out}`);
      log(`installed ${path.basename(vsix)} (${((Date.now() - t) / 1000).toFixed(1)}s)`);
    }
  }

  private async startServer(): Promise<void> {
    this.port = await freePort();
    this.url = `http://127.0.0.1:${this.port}`;
    const out = fs.openSync(this.serverLog, 'a');
    const t = Date.now();
    this.server = spawn(
      NODE,
      [
        ...this.baseArgs(),
        '--bind-addr', `127.0.0.1:${this.port}`,
        '--auth', 'none',
        '--disable-telemetry',
        '--disable-update-check',
        ...(this.options.trusted === false ? [] : ['--disable-workspace-trust']),
        '--disable-getting-started-override',
        '--ignore-last-opened',
        this.workspace,
      ],
      // Own process group: stop() kills code-server and everything it forked (extension host, pty host, watchers).
      { env: this.env(), cwd: this.dir, stdio: ['ignore', out, out], detached: true },
    );
    fs.closeSync(out);
    this.server.on('exit', (code, signal) => {
      if (!this.stopped) log(`code-server exited early (code ${code}, signal ${signal}); log: ${this.serverLog}`);
    });
    await waitFor(
      `code-server on ${this.url}`,
      async () => {
        if (this.server?.exitCode !== null) throw new Error(`code-server exited with ${this.server?.exitCode}`);
        const res = await fetch(`${this.url}/healthz`).catch(() => undefined);
        return res?.ok ? true : undefined;
      },
      60_000,
    );
    log(`code-server ${this.url} (pid ${this.server.pid}) ready in ${((Date.now() - t) / 1000).toFixed(1)}s`);
  }

  async openWorkbench(): Promise<Page> {
    const t = Date.now();
    this.context = await chromium.launchPersistentContext(this.browserProfile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: this.options.viewport ?? { width: 1440, height: 900 },
    });
    const page = this.context.pages()[0] ?? (await this.context.newPage());
    this.page = page;
    page.on('console', m => {
      if (m.type() === 'error') this.consoleErrors.push(m.text());
    });
    page.on('pageerror', e => this.consoleErrors.push(String(e)));
    await page.goto(`${this.url}/?folder=${encodeURIComponent(this.workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.part.statusbar').waitFor({ timeout: 60_000 });
    // The explorer shows the workspace once the remote file system is connected.
    await page.locator('.explorer-folders-view, .explorer-viewlet').first().waitFor({ timeout: 60_000 });
    log(`workbench loaded in ${((Date.now() - t) / 1000).toFixed(1)}s`);
    return page;
  }

  private requirePage(): Page {
    if (!this.page) throw new Error('no browser page: start the session with browser: true');
    return this.page;
  }

  /**
   * Runs a command from the command palette by its title as shown there ("Seq2Seq: Show Engine Info").
   * The palette lists the commands known when it opens, and extension contributions arrive a few
   * seconds after the workbench shows: so when the row is not there, close and reopen it.
   */
  async runCommand(title: string, timeoutMs = 60_000): Promise<void> {
    const page = this.requirePage();
    const input = page.locator('.quick-input-widget .quick-input-box input');
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
    await waitFor(
      `"${title}" in the command palette`,
      async () => {
        if (await input.isVisible()) {
          await page.keyboard.press('Escape');
          await input.waitFor({ state: 'hidden', timeout: 2_000 });
        }
        await page.keyboard.press('F1');
        await input.waitFor({ state: 'visible', timeout: 5_000 });
        await input.fill(`>${title}`);
        await row.waitFor({ state: 'visible', timeout: 3_000 });
        return true;
      },
      timeoutMs,
      500,
    );
    await row.click();
    // The palette closes — or the command opened a quick pick of its own in its place (the
    // input no longer holds the palette's `>title`).
    await waitFor(
      `the palette to close after "${title}"`,
      async () => !(await input.isVisible()) || (await input.inputValue().catch(() => '')) !== `>${title}` || undefined,
      10_000,
      100,
    );
  }

  /** The frame (webview content) in which `selector` exists, searched among all of page.frames(). */
  async webviewFrame(selector: string, timeoutMs = 30_000): Promise<Frame> {
    const page = this.requirePage();
    return waitFor(
      `a webview frame containing ${selector}`,
      async () => {
        for (const frame of page.frames()) {
          if (frame === page.mainFrame()) continue;
          const handle = await frame.$(selector).catch(() => null);
          if (handle) return frame;
        }
        return undefined;
      },
      timeoutMs,
    );
  }

  /** Text of the first notification toast matching `pattern`. */
  async notification(pattern: RegExp, timeoutMs = 30_000): Promise<string> {
    const page = this.requirePage();
    return waitFor(
      `a notification matching ${pattern}`,
      async () => {
        for (const text of await page.locator('.notifications-toasts .notification-toast').allInnerTexts()) {
          if (pattern.test(text)) return text;
        }
        return undefined;
      },
      timeoutMs,
    );
  }

  /** Saves a screenshot of the whole workbench to test/e2e/screenshots/<name>.png. */
  async screenshot(name: string): Promise<string> {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    const file = path.join(SCREENSHOTS, `${name}.png`);
    await this.requirePage().screenshot({ path: file });
    log(`screenshot ${path.relative(ROOT, file)}`);
    return file;
  }

  /** Tails of code-server's log, the extension host logs and the page's console errors. */
  diagnostics(lines = 40): string {
    const tail = (file: string) => {
      try {
        return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
      } catch {
        return '(none)';
      }
    };
    const parts = [`--- ${this.serverLog}\n${tail(this.serverLog)}`];
    const logs = path.join(this.userDataDir, 'logs');
    if (fs.existsSync(logs)) {
      for (const f of fs.readdirSync(logs, { recursive: true, encoding: 'utf8' })) {
        if (/exthost\.log$|remoteagent\.log$/.test(f)) parts.push(`--- ${path.join(logs, f)}\n${tail(path.join(logs, f))}`);
      }
    }
    if (this.consoleErrors.length) parts.push(`--- browser console errors\n${this.consoleErrors.slice(-lines).join('\n')}`);
    return parts.join('\n');
  }

  /** Synchronous kill of the code-server process group (exit handler). */
  killNow(): void {
    const pid = this.server?.pid;
    if (pid && this.server?.exitCode === null) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  }

  /** Closes the browser and stops code-server and its children. Removes the session dir unless keep (or HARNESS_KEEP=1). */
  async stop(opts: { keep?: boolean } = {}): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.context) {
      await Promise.race([this.context.close().catch(() => undefined), sleep(10_000)]);
    }
    const server = this.server;
    if (server?.pid && server.exitCode === null && server.signalCode === null) {
      const exited = new Promise(r => server.once('exit', r));
      try {
        process.kill(-server.pid, 'SIGTERM');
      } catch {
        /* gone */
      }
      if ((await Promise.race([exited.then(() => true), sleep(5_000).then(() => false)])) === false) {
        this.killNow();
        await Promise.race([exited, sleep(2_000)]);
      }
    }
    // Stragglers of the group (the extension host may outlive the server by a moment).
    if (server?.pid) {
      try {
        process.kill(-server.pid, 'SIGKILL');
      } catch {
        /* none left */
      }
    }
    live.delete(this);
    if (opts.keep || process.env.HARNESS_KEEP === '1') {
      log(`kept session dir ${this.dir}`);
    } else {
      fs.rmSync(this.dir, { recursive: true, force: true, maxRetries: 3 });
    }
  }
}
