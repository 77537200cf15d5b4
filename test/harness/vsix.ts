/**
 * What a packaged .vsix holds, read from the zip's central directory (no unzip tool needed),
 * and the check the harness makes on every package it builds: the extension's bundles, its
 * webview bundles, media and the manifest are inside.
 */
import * as fs from 'fs';

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_FILE_HEADER = 0x02014b50;

/** The entry names of the zip file `file`. */
export function zipEntries(file: string): string[] {
  const zip = fs.readFileSync(file);
  // The end record is the last 22 bytes plus a comment of at most 64 KiB.
  let end = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === END_OF_CENTRAL_DIRECTORY) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new Error(`${file}: not a zip file (no end of central directory)`);
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(offset) !== CENTRAL_FILE_HEADER) throw new Error(`${file}: damaged central directory at entry ${i}`);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    names.push(zip.toString('utf8', offset + 46, offset + 46 + nameLength));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

/** The files an installable Seq2Seq Lab .vsix must hold (paths inside `extension/`). */
export const REQUIRED_IN_VSIX = [
  'package.json',
  'readme.md',
  'LICENSE.txt',
  'dist/extension.js',
  'dist/engine.js',
  'dist/webview/form.js',
  'dist/webview/dashboard.js',
  'dist/webview/attention.js',
  'dist/renderer/runRenderer.js',
  'media/panels.css',
  'media/activitybar.svg',
];

/** Throws naming what is missing when `vsixFile` lacks a required file, or holds sources or tests. */
export function checkExtensionVsix(vsixFile: string): void {
  const entries = new Set(zipEntries(vsixFile));
  const missing = REQUIRED_IN_VSIX.filter(name => !entries.has(`extension/${name}`));
  if (missing.length) throw new Error(`${vsixFile}: missing ${missing.join(', ')}`);
  const leaked = [...entries].filter(name => /^extension\/(src|test|webview|scripts)\//.test(name));
  if (leaked.length) throw new Error(`${vsixFile}: holds sources that .vscodeignore keeps out: ${leaked.slice(0, 5).join(', ')}`);
}
