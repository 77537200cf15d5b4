/**
 * The one serializer registry: every panel that comes back after a window reload is listed in
 * registerPanelSerializers, each by its restorer (the view type, the validator of its saved
 * state, and how to revive it). A state that does not validate is logged and its panel closed.
 * Each view type listed here needs an `onWebviewPanel:<viewType>` activation event in
 * package.json (the train form is not restored: it is opened again with fresh settings).
 */
import * as vscode from 'vscode';
import { attentionRestorer } from './attention/attentionPanel';
import { compareRestorer } from './comparePanel';
import type { PanelContext } from './context';
import { dashboardRestorer } from './dashboardPanel';
import { diffsRestorer } from './diffsPanel';
import { experimentsRestorer } from './experimentsPanel';
import { sweepRestorer } from './sweepPanel';
import { panelLog } from './log';
import type { PanelRestorer } from './panelHost';


/** A restorer with its state type sealed in. */
export interface PanelSerializerEntry {
  viewType: string;
  restore(panel: vscode.WebviewPanel, state: unknown): Promise<void>;
}

function entry<State>(restorer: PanelRestorer<State>): PanelSerializerEntry {
  return { viewType: restorer.viewType, restore: (panel, state) => restorePanel(restorer, panel, state) };
}

/** Every panel that is restored after a reload. A new restorable panel goes here. */
export function panelSerializers(context: PanelContext): PanelSerializerEntry[] {
  return [
    entry(dashboardRestorer(context)), entry(attentionRestorer(context)), entry(diffsRestorer(context)), entry(compareRestorer(context)),
    entry(experimentsRestorer(context)), entry(sweepRestorer(context)),
  ];
}

/** Validates a restored panel's state and revives it; closes it when the state is unusable. */
export async function restorePanel<State>(restorer: PanelRestorer<State>, panel: vscode.WebviewPanel, state: unknown): Promise<void> {
  const parsed = restorer.parseState(state);
  if (!parsed.ok) {
    panelLog().warn(`${restorer.logName}: not restored (${parsed.error})`);
    panel.dispose();
    return;
  }
  await restorer.revive(panel, parsed.value);
}

export function registerPanelSerializers(context: PanelContext): vscode.Disposable[] {
  return panelSerializers(context).map(({ viewType, restore }) =>
    vscode.window.registerWebviewPanelSerializer(viewType, { deserializeWebviewPanel: (panel, state: unknown) => restore(panel, state) }),
  );
}
