import { defineConfig, type Options } from 'tsup';

/** Emitting settings over type checking's (sources import `.ts` files). */
const dts: Options['dts'] = { compilerOptions: { allowImportingTsExtensions: true, noEmit: false, ignoreDeprecations: '6.0' } };

/**
 * `npm run build` builds both packages (run from the repository's root:
 * declarations bundled from client/ alone lose the router's types):
 * - `flowstate` (server/index.ts → dist/index.js + .d.ts): the library, for
 *   plain Node; every package dependency stays external.
 * - `@flowstate/client` (client/index.ts → client/dist) as ESM and CommonJS,
 *   each with its .d.ts. The router is imported as a type only, so its types
 *   are inlined into the .d.ts while none of the server's code reaches the JS.
 * `--env.PACKAGE client` (or `flowstate`) builds one of them.
 */
const builds: Record<string, Options> = {
  flowstate: {
    entry: { index: 'server/index.ts' },
    outDir: 'dist',
    format: ['esm'],
    platform: 'node',
    target: 'node20',
    dts,
    sourcemap: true,
    clean: true,
    splitting: false,
  },
  client: {
    entry: { index: 'client/index.ts' },
    outDir: 'client/dist',
    format: ['esm', 'cjs'],
    platform: 'neutral',
    target: 'es2022',
    dts,
    sourcemap: true,
    clean: true,
    splitting: false,
    treeshake: false,
  },
};

export default defineConfig((options) => {
  const only = options.env?.PACKAGE;
  if (only && !(only in builds)) throw new Error(`--env.PACKAGE must be one of ${Object.keys(builds).join(', ')}`);
  return only ? [builds[only]] : Object.values(builds);
});
