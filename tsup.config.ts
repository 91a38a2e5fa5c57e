import { defineConfig } from 'tsup';

/**
 * `npm run build`: bundles the SDK (client/index.ts) into dist/client as ESM
 * plus one .d.ts. Everything in package.json's dependencies stays external;
 * the router is imported as a type only, so its types are inlined into the
 * .d.ts while none of the server's code reaches the JS.
 */
export default defineConfig({
  entry: { index: 'client/index.ts' },
  outDir: 'dist/client',
  format: ['esm'],
  platform: 'neutral',
  target: 'es2022',
  dts: { compilerOptions: { allowImportingTsExtensions: true, noEmit: false, ignoreDeprecations: "6.0" } },
  sourcemap: true,
  clean: true,
  splitting: false,
  treeshake: false,
});
