// Generated from clients/js/src by clients/js/scripts/copy-to-static.mjs (npm run bundle:static). Do not edit.
/**
 * The WebSocket implementation: the one given in the options, else the global one (browsers,
 * Deno, Bun, Node >= 22), else the `ws` package (Node 20), loaded only when needed so that
 * browsers never fetch it.
 */
export const OPEN = 1;
let cached;
export function resolveWebSocket(given) {
    if (given) {
        return Promise.resolve(given);
    }
    const global = globalThis.WebSocket;
    if (typeof global === 'function') {
        return Promise.resolve(global);
    }
    cached ??= loadWs().catch((err) => {
        cached = undefined;
        throw err;
    });
    return cached;
}
async function loadWs() {
    // A variable specifier keeps bundlers and TypeScript from resolving `ws` for browser builds.
    const name = 'ws';
    let mod;
    try {
        mod = (await import(name));
    }
    catch (err) {
        throw new Error('No WebSocket implementation: this runtime has no global WebSocket and the `ws` package is not installed ' +
            '(npm install ws), nor was one passed as the `WebSocket` option.', { cause: err });
    }
    const ctor = mod.WebSocket ?? mod.default;
    if (typeof ctor !== 'function') {
        throw new Error('the `ws` package does not export a WebSocket class');
    }
    return ctor;
}
