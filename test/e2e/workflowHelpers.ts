/** File-system and process helpers of workflow.e2e.ts (the harness machine is the engine's machine). */
import * as fs from 'fs';
import * as path from 'path';

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
