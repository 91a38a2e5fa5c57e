import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FlowstateError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { Route } from './restRoutes.ts';
import { LOCAL_ONLY_CSP, sendAsset, staticAsset, type StaticAsset } from './staticAsset.ts';

/** The dashboard's source (a client of the API, so it lives under client/). */
export const DASHBOARD_SOURCE_DIR = fileURLToPath(new URL('../../client/dashboard/', import.meta.url));

/**
 * Where a prebuilt dashboard sits next to this module: `dist/dashboard/` once the
 * library is compiled to `dist/index.js` (`npm run build` writes it there; the
 * package ships no dashboard source). Absent when running from source.
 */
export const PREBUILT_DIR = fileURLToPath(new URL('./dashboard/', import.meta.url));

/** Paths the dashboard's page loads its script and styles from. */
export const DASHBOARD_ASSET_PATHS = { script: '/dashboard/app.js', style: '/dashboard/app.css' } as const;

/** The built dashboard: its page, script and styles. */
export interface DashboardBundle {
  page: StaticAsset;
  script: StaticAsset;
  style: StaticAsset;
}

/**
 * Bundles the dashboard with esbuild, in memory: `client/dashboard/main.tsx`
 * (Preact, the SDK's tRPC client) into one minified script and one stylesheet.
 * Takes a few hundred milliseconds, so it runs on the first request for the
 * dashboard, not at start-up (servers that never serve a browser never pay),
 * and there is no build step to remember: `npm start` always serves the source
 * as it is. esbuild is imported here only, on demand.
 */
export async function buildDashboard(sourceDir = DASHBOARD_SOURCE_DIR): Promise<DashboardBundle> {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    absWorkingDir: sourceDir,
    entryPoints: { app: 'main.tsx' },
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    loader: { '.json': 'json' },
    outdir: 'out',
    write: false,
    logLevel: 'silent',
    legalComments: 'none',
    define: { 'process.env.NODE_ENV': '"production"' },
    plugins: [zodEnglishOnly],
  });
  const file = (ext: string) => {
    const out = result.outputFiles.find((f) => f.path.endsWith(ext));
    if (!out) throw new Error(`the dashboard build produced no ${ext} file`);
    return Buffer.from(out.contents);
  };
  const html = await readFile(join(sourceDir, 'index.html'), 'utf8');
  return {
    page: staticAsset('text/html; charset=utf-8', html),
    script: staticAsset('text/javascript; charset=utf-8', file('.js')),
    style: staticAsset('text/css; charset=utf-8', file('.css')),
  };
}

/** The dashboard from `dir` if it was prebuilt there, else bundled from source now. */
export async function loadDashboard(dir = PREBUILT_DIR): Promise<DashboardBundle> {
  if (!existsSync(join(dir, 'index.html'))) return buildDashboard();
  const [html, js, css] = await Promise.all(['index.html', 'app.js', 'app.css'].map((f) => readFile(join(dir, f))));
  return {
    page: staticAsset('text/html; charset=utf-8', html),
    script: staticAsset('text/javascript; charset=utf-8', js),
    style: staticAsset('text/css; charset=utf-8', css),
  };
}

/** Bundles the dashboard and writes it to `outDir` (what `npm run build` ships in `dist/dashboard/`). */
export async function writeDashboard(outDir: string): Promise<void> {
  const bundle = await buildDashboard();
  await mkdir(outDir, { recursive: true });
  await Promise.all([
    writeFile(join(outDir, 'index.html'), bundle.page.body),
    writeFile(join(outDir, 'app.js'), bundle.script.body),
    writeFile(join(outDir, 'app.css'), bundle.style.body),
  ]);
}

/**
 * zod's namespace export pulls in its ~50 message locales (about 60 kB of the
 * gzipped bundle); the dashboard shows the server's messages, and zod itself
 * defaults to English, so its locale index is replaced by English alone.
 */
const zodEnglishOnly: import('esbuild').Plugin = {
  name: 'zod-english-only',
  setup(build) {
    build.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, () => ({ contents: 'export { default as en } from "./en.js";', loader: 'js' }));
  },
};

/**
 * The dashboard's routes: the page at `/` and its two files, prebuilt or
 * bundled on the first request. Public: they hold no workflow data (every call the page makes wants the API key, when one is
 * set). A failed build answers 503 and is retried on the next request.
 */
export function dashboardRoutes(logger: Logger, build: () => Promise<DashboardBundle> = loadDashboard): Route[] {
  let bundle: Promise<DashboardBundle> | undefined;
  const get = async (): Promise<DashboardBundle> => {
    bundle ??= build().catch((cause: unknown) => {
      bundle = undefined;
      logger.error('dashboard build failed', { error: cause });
      throw new FlowstateError('UNAVAILABLE', 'the dashboard could not be built; see the server log', { cause });
    });
    return bundle;
  };
  const headers = { 'content-security-policy': LOCAL_ONLY_CSP, 'referrer-policy': 'no-referrer' };
  return [
    { pattern: /^\/$/, public: true, methods: { GET: async (req, res) => sendAsset(req, res, (await get()).page, headers) } },
    { pattern: /^\/dashboard\/app\.js$/, public: true, methods: { GET: async (req, res) => sendAsset(req, res, (await get()).script) } },
    { pattern: /^\/dashboard\/app\.css$/, public: true, methods: { GET: async (req, res) => sendAsset(req, res, (await get()).style) } },
  ];
}
