/** The part of vscode.EventEmitter the host code uses, for the tests' stand-ins of the vscode API. */
export class FakeEventEmitter<T> {
  private readonly listeners = new Set<(e: T) => void>();
  readonly event = (listener: (e: T) => void) => {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  };
  /** How many listeners are subscribed (a panel that unsubscribes on dispose drops to 0). */
  get listenerCount(): number {
    return this.listeners.size;
  }
  fire(e: T): void {
    [...this.listeners].forEach(listener => listener(e));
  }
  dispose(): void {
    this.listeners.clear();
  }
}
