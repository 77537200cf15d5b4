/**
 * Whole-file writes for exports: the bytes go to a temporary file beside the target, which is
 * then renamed over it, so a reader (or a crash) never sees half a file. No `vscode` here.
 */
import { promises as fsp } from 'fs';
import * as path from 'path';

export async function writeFileAtomically(file: string, bytes: Uint8Array): Promise<void> {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    await fsp.writeFile(temporary, bytes);
    await fsp.rename(temporary, file);
  } catch (e) {
    await fsp.rm(temporary, { force: true }).catch(() => undefined);
    throw e;
  }
}
