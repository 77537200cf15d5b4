/**
 * The webview side of the host ↔ webview protocol: a typed `post`, a typed message listener,
 * `getState`/`setState`, and error reporting (uncaught errors and CSP violations go to the
 * host's log as `error` messages and are counted on <body data-errors> for the tests).
 */

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** `acquireVsCodeApi` may be called once per page; every panel goes through this. */
const api: VsCodeApi = acquireVsCodeApi();

export function post<M extends { type: string }>(message: M): void {
  api.postMessage(message);
}

export function getState(): unknown {
  return api.getState();
}

export function setState(state: unknown): void {
  api.setState(state);
}

/**
 * Calls `handler` with every message from the host. The webview only accepts messages from
 * its own host (VS Code delivers them as `message` events of the window); each handler also
 * checks the `type` before use, and a handler that throws is reported, not fatal.
 */
export function onHostMessage<M extends { type: string }>(handler: (message: M) => void): void {
  window.addEventListener('message', event => {
    const data = event.data as unknown;
    if (typeof data !== 'object' || data === null || typeof (data as { type?: unknown }).type !== 'string') return;
    try {
      handler(data as M);
    } catch (e) {
      reportError(`handling ${(data as { type: string }).type}: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    }
  });
}

let errors = 0;
export function reportError(message: string): void {
  errors++;
  document.body.dataset.errors = String(errors);
  api.postMessage({ type: 'error', message: message.slice(0, 4000) });
}

window.addEventListener('error', event => reportError(`uncaught: ${event.message}`));
window.addEventListener('unhandledrejection', event => reportError(`unhandled rejection: ${String(event.reason)}`));
document.addEventListener('securitypolicyviolation', event => {
  const body = document.body;
  body.dataset.cspViolations = String(Number(body.dataset.cspViolations ?? '0') + 1);
  reportError(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
});
