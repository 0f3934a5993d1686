// A tiny typed event emitter with disposable subscriptions, so core needs no vscode types.

export interface Disposable {
  dispose(): void;
}

export class Emitter<T> implements Disposable {
  private listeners = new Set<(event: T) => void>();

  /** Subscribes; the returned disposable unsubscribes. */
  readonly event = (listener: (event: T) => void): Disposable => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  fire(event: T): void {
    for (const l of [...this.listeners]) {
      try {
        l(event);
      } catch {
        // A failing listener must not stop the others or the engine that fired the event.
      }
    }
  }

  dispose(): void {
    this.listeners.clear();
  }
}
