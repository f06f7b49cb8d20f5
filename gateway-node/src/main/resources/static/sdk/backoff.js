// Generated from clients/js/src by clients/js/scripts/copy-to-static.mjs (npm run bundle:static). Do not edit.
export const DEFAULT_BACKOFF = Object.freeze({
    initialDelayMs: 500,
    maxDelayMs: 30_000,
    multiplier: 2,
});
/** Fills in defaults and checks the numbers. */
export function backoffOptions(partial = {}) {
    const options = { ...DEFAULT_BACKOFF, ...stripUndefined(partial) };
    if (!(Number.isFinite(options.initialDelayMs) && options.initialDelayMs >= 0)) {
        throw new RangeError('backoff.initialDelayMs must be a finite number >= 0');
    }
    if (!(Number.isFinite(options.maxDelayMs) && options.maxDelayMs >= options.initialDelayMs)) {
        throw new RangeError('backoff.maxDelayMs must be a finite number >= initialDelayMs');
    }
    if (!(Number.isFinite(options.multiplier) && options.multiplier >= 1)) {
        throw new RangeError('backoff.multiplier must be a finite number >= 1');
    }
    return options;
}
/**
 * The upper bound of the delay before retry number `attempt` (0 = first retry):
 * `min(maxDelayMs, initialDelayMs * multiplier^attempt)`. Never overflows.
 */
export function backoffCeiling(attempt, options = DEFAULT_BACKOFF) {
    const n = Math.max(0, Math.floor(attempt));
    const grown = options.initialDelayMs * Math.pow(options.multiplier, n);
    return Number.isFinite(grown) ? Math.min(options.maxDelayMs, grown) : options.maxDelayMs;
}
/**
 * The delay before retry number `attempt`, with full jitter: uniform in `[0, ceiling]`, so that
 * clients cut off at the same moment (a node dies) do not all come back at the same moment.
 */
export function fullJitterDelay(attempt, options = DEFAULT_BACKOFF, random = Math.random) {
    const ceiling = backoffCeiling(attempt, options);
    const r = random();
    const unit = Number.isFinite(r) ? Math.min(1, Math.max(0, r)) : 1;
    return Math.round(unit * ceiling);
}
function stripUndefined(value) {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}
