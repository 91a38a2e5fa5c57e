/** Where the API key is kept: this tab only (sessionStorage), never localStorage or a cookie. */
const KEY = 'flowstate.apiKey';

/** The key this tab was given, if any. */
export function loadApiKey(): string | undefined {
  try {
    return sessionStorage.getItem(KEY) ?? undefined;
  } catch {
    // Storage can be disabled (privacy modes); the key then lives only in memory.
    return undefined;
  }
}

/** Keeps `key` for this tab; `undefined` forgets it. */
export function saveApiKey(key: string | undefined): void {
  try {
    if (key === undefined) sessionStorage.removeItem(KEY);
    else sessionStorage.setItem(KEY, key);
  } catch {
    // See loadApiKey.
  }
}
