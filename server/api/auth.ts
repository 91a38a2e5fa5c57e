import { createHash, timingSafeEqual } from 'node:crypto';

/** Decides whether a presented key is the configured API key. */
export interface ApiKeyCheck {
  /** False when no API_KEY is configured: every request passes. */
  readonly required: boolean;
  /** True when `Authorization: Bearer <key>` carries the key (or no key is required). */
  checkHeader(authorization: string | undefined): boolean;
  /** True when a bare key (e.g. tRPC `connectionParams.apiKey`) is the key (or no key is required). */
  checkKey(key: string | undefined): boolean;
}

/**
 * Builds the check for `apiKey`. Keys are compared as SHA-256 digests with
 * `timingSafeEqual`: equal-length buffers whatever was sent, so the time taken
 * tells nothing about the key or its length. The key is never logged or echoed.
 */
export function createApiKeyCheck(apiKey: string | undefined): ApiKeyCheck {
  if (!apiKey) {
    return { required: false, checkHeader: () => true, checkKey: () => true };
  }
  const expected = digest(apiKey);
  const checkKey = (key: string | undefined) => key !== undefined && key !== '' && timingSafeEqual(digest(key), expected);
  return {
    required: true,
    checkKey,
    checkHeader(authorization) {
      if (!authorization) return false;
      // RFC 7235: the scheme is case-insensitive; one or more spaces before the token.
      const match = /^bearer +(\S+) *$/i.exec(authorization);
      return match !== null && checkKey(match[1]);
    },
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
