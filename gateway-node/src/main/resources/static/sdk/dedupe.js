// Generated from clients/js/src by clients/js/scripts/copy-to-static.mjs (npm run bundle:static). Do not edit.
/**
 * The most recent `capacity` notification ids, least recently seen evicted first: bounded memory
 * whatever the stream's length. Delivery is at-least-once (a resume can replay what a client saw
 * just before it dropped), so clients skip an id they have seen.
 */
export class RecentIds {
    capacity;
    // A Map iterates in insertion order: the first key is the least recently seen.
    #ids = new Map();
    constructor(capacity) {
        if (!(Number.isInteger(capacity) && capacity >= 1)) {
            throw new RangeError('dedupe capacity must be an integer >= 1');
        }
        this.capacity = capacity;
    }
    /** Number of ids remembered. */
    get size() {
        return this.#ids.size;
    }
    /** Whether `id` was seen recently (without marking it seen). */
    has(id) {
        return this.#ids.has(id);
    }
    /**
     * Marks `id` seen; returns true the first time, false for a duplicate. A duplicate becomes
     * the most recent again, so a burst of redeliveries cannot evict it.
     */
    add(id) {
        if (this.#ids.has(id)) {
            this.#ids.delete(id);
            this.#ids.set(id, true);
            return false;
        }
        this.#ids.set(id, true);
        if (this.#ids.size > this.capacity) {
            const oldest = this.#ids.keys().next();
            if (!oldest.done) {
                this.#ids.delete(oldest.value);
            }
        }
        return true;
    }
    clear() {
        this.#ids.clear();
    }
}
