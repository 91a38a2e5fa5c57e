import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SERVER_NODE_FLAGS } from '../helpers/server.ts';

const scripts = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> }).scripts;

describe("the server's Node flags", () => {
  it('npm start, npm run worker and the tests start the server with the same flags', () => {
    for (const name of ['start', 'worker']) {
      const flags = scripts[name].match(/tsx (.*) server\/main\.ts$/)?.[1]?.split(' ');
      expect(flags, `${name}: ${scripts[name]}`).toEqual(SERVER_NODE_FLAGS);
    }
  });
});
