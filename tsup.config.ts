import { defineConfig, type Options } from 'tsup';

/** Compiles type checking's settings into the emitting ones (sources import `.ts` files). */
const dts: Options['dts'] = { compilerOptions: { allowImportingTsExtensions: true, noEmit: false, ignoreDeprecations: '6.0' } };

/**
 * `npm run build`:
 * - `flowstate` (server/index.ts → dist/index.js + .d.ts): the library, for
 *   plain Node; every package dependency stays external.
 * - the SDK (client/index.ts → dist/client) as ESM plus one .d.ts. The router
 *   is imported as a type only, so its types are inlined into the .d.ts while
 *   none of the server's code reaches the JS.
 */
export default defineConfig([
  {
    entry: { index: 'server/index.ts' },
    outDir: 'dist',
    format: ['esm'],
    platform: 'node',
    target: 'node20',
    dts,
    sourcemap: true,
    clean: false,
    splitting: false,
  },
  {
    entry: { index: 'client/index.ts' },
    outDir: 'dist/client',
    format: ['esm'],
    platform: 'neutral',
    target: 'es2022',
    dts,
    sourcemap: true,
    clean: true,
    splitting: false,
    treeshake: false,
  },
]);
