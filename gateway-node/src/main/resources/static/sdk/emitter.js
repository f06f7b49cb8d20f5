// Generated from clients/js/src by clients/js/scripts/copy-to-static.mjs (npm run bundle:static). Do not edit.
export class Emitter {
    #listeners = new Map();
    #onListenerError;
    constructor(onListenerError) {
        this.#onListenerError = onListenerError;
    }
    on(event, listener) {
        let set = this.#listeners.get(event);
        if (!set) {
            set = new Set();
            this.#listeners.set(event, set);
        }
        // Wrap so the same function can be added twice and removed one at a time.
        const entry = ((...args) => listener(...args));
        set.add(entry);
        return () => {
            const current = this.#listeners.get(event);
            if (current?.delete(entry) && current.size === 0) {
                this.#listeners.delete(event);
            }
        };
    }
    emit(event, ...args) {
        const set = this.#listeners.get(event);
        if (!set) {
            return;
        }
        for (const listener of [...set]) {
            try {
                listener(...args);
            }
            catch (error) {
                this.#onListenerError(error, event);
            }
        }
    }
    listenerCount(event) {
        return this.#listeners.get(event)?.size ?? 0;
    }
    clear() {
        this.#listeners.clear();
    }
}
