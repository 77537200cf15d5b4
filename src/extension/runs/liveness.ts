/**
 * Telling a live training process from a dead one. A manifest that says `running` carries the
 * pid of the process that trains it; pids are reused, so a live pid alone is not enough: the
 * process must also be an engine (dist/engine.js, forked by a window) or the CLI
 * (dist/cli.js, bin/seq2seq-lab).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';

export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The command line of `pid` as its arguments, or undefined where it cannot be read. */
function commandLine(pid: number): string[] | undefined {
  if (process.platform === 'linux') {
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    } catch {
      return undefined;
    }
  }
  if (process.platform === 'win32') return undefined;
  try {
    // macOS and the BSDs: one short `ps`, only when a manifest says running.
    return execFileSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8', timeout: 2000 }).trim().split(/\s+/);
  } catch {
    return undefined;
  }
}

const ENGINE_SCRIPT = /(^|[\\/])(dist[\\/](engine|cli)\.js|bin[\\/]seq2seq-lab(\.js)?)$/;

/** True when `pid` is alive and runs the engine or the CLI. */
export function isEngineProcess(pid: number): boolean {
  if (!isProcessAlive(pid)) return false;
  const args = commandLine(pid);
  // Where the command line cannot be read (Windows), a live pid is the best evidence there is.
  if (!args) return true;
  return args.some(arg => ENGINE_SCRIPT.test(arg));
}
