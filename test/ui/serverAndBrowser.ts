import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { startServer, type ServerHandle } from '../helpers/server.ts';
import { launchBrowser } from './browser.ts';

/** A server and a Chromium for one describe block, started before its tests and stopped after. */
export interface ServerAndBrowser {
  readonly server: ServerHandle;
  readonly browser: Browser;
}

/**
 * Registers beforeAll/afterAll that start a real server with `env` and a
 * headless Chromium, in parallel; the server must exit 0 when stopped.
 */
export function serverAndBrowser(env: Record<string, string> = {}): ServerAndBrowser {
  let server: ServerHandle | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(env), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    if (server) expect(await server.stop()).toBe(0);
  });
  return {
    get server() {
      return server!;
    },
    get browser() {
      return browser!;
    },
  };
}
