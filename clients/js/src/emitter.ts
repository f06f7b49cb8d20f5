/** A small typed event emitter: listeners are called in order; one that throws does not stop the others. */
export type Listener<A extends unknown[]> = (...args: A) => void;

export class Emitter<M extends { [K in keyof M]: unknown[] }> {
  readonly #listeners = new Map<keyof M, Set<Listener<never[]>>>();
  readonly #onListenerError: (error: unknown, event: keyof M) => void;

  constructor(onListenerError: (error: unknown, event: keyof M) => void) {
    this.#onListenerError = onListenerError;
  }

  on<K extends keyof M>(event: K, listener: Listener<M[K]>): () => void {
    let set = this.#listeners.get(event);
    if (!set) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    // Wrap so the same function can be added twice and removed one at a time.
    const entry = ((...args: M[K]) => listener(...args)) as unknown as Listener<never[]>;
    set.add(entry);
    return () => {
      const current = this.#listeners.get(event);
      if (current?.delete(entry) && current.size === 0) {
        this.#listeners.delete(event);
      }
    };
  }

  emit<K extends keyof M>(event: K, ...args: M[K]): void {
    const set = this.#listeners.get(event);
    if (!set) {
      return;
    }
    for (const listener of [...set]) {
      try {
        (listener as unknown as Listener<M[K]>)(...args);
      } catch (error) {
        this.#onListenerError(error, event);
      }
    }
  }

  listenerCount(event: keyof M): number {
    return this.#listeners.get(event)?.size ?? 0;
  }

  clear(): void {
    this.#listeners.clear();
  }
}
