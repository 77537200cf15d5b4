/**
 * Saves an attention map the webview exported (a PNG data URL or JSON text) where the user
 * chooses: atomically on disk (writeFileAtomic), through the file system API elsewhere.
 * Answers with the message for the webview (`exported` or `failed`), or nothing when cancelled.
 */
import * as vscode from 'vscode';
import { PNG_PREFIX, type HostToAttentionMessage } from '../../../shared/attentionProtocol';
import { writeFileAtomic } from '../../../shared/io/atomic';

export async function saveAttentionExport(format: 'png' | 'json', data: string, name: string): Promise<HostToAttentionMessage | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({
    defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
    filters: format === 'png' ? { [vscode.l10n.t('PNG image')]: ['png'] } : { JSON: ['json'] },
    title: vscode.l10n.t('Export the attention map'),
  });
  if (!target) return undefined;
  const bytes = format === 'png' ? Buffer.from(data.slice(PNG_PREFIX.length), 'base64') : Buffer.from(`${data}\n`, 'utf8');
  try {
    await writeAtomically(target, bytes);
    return { type: 'exported', path: target.fsPath };
  } catch (e) {
    return { type: 'failed', message: vscode.l10n.t('Could not save {0}: {1}', target.fsPath, e instanceof Error ? e.message : String(e)) };
  }
}

async function writeAtomically(target: vscode.Uri, bytes: Uint8Array): Promise<void> {
  if (target.scheme === 'file') writeFileAtomic(target.fsPath, bytes);
  else await vscode.workspace.fs.writeFile(target, bytes);
}
