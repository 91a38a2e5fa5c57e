import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { SAMPLE_WORKFLOW } from './openapi.ts';
import type { Route } from './restRoutes.ts';
import { LOCAL_ONLY_CSP, sendAsset, staticAsset, type StaticAsset } from './staticAsset.ts';

/** The npm package (pinned exactly in package.json) whose Swagger UI build `/docs` serves. */
export const DOCS_UI_PACKAGE = 'swagger-ui-dist';

/** Where the page loads its script and styles from: this server, never a CDN. */
export const DOCS_ASSET_PATHS = {
  script: '/docs/swagger-ui-bundle.js',
  style: '/docs/swagger-ui.css',
  init: '/docs/init.js',
} as const;

interface OpenApiLike {
  info: { title: string; description?: string };
  security?: unknown[];
  paths: Record<string, Record<string, { summary?: string }>>;
}

/**
 * The `/docs` page. The server renders a plain list of every route from the
 * OpenAPI document, readable with no script at all; Swagger UI, served by this
 * server from the pinned `swagger-ui-dist` package, then replaces it with the
 * interactive reference (schemas, examples, "try it out"). Works offline.
 */
export function renderDocsPage(doc: OpenApiLike, baseUrl: string, openApiUrl = '/openapi.json'): string {
  const rows = Object.entries(doc.paths)
    .flatMap(([path, ops]) =>
      Object.entries(ops).map(
        ([method, op]) =>
          `<tr><td><code>${escapeHtml(method.toUpperCase())}</code></td><td><code>${escapeHtml(path)}</code></td><td>${escapeHtml(op.summary ?? '')}</td></tr>`,
      ),
    )
    .join('\n');
  const paragraphs = (doc.info.description ?? '')
    .split('\n\n')
    .map((p) => `<p>${escapeHtml(p).replace(/`([^`]+)`/g, '<code>$1</code>')}</p>`)
    .join('\n');
  const key = doc.security?.length ? ` -H "Authorization: Bearer $API_KEY"` : '';
  const curl = `curl -X POST ${baseUrl}/api/workflow${key} -H 'Content-Type: application/json' -d '${JSON.stringify(SAMPLE_WORKFLOW)}'`;

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(doc.info.title)} API reference</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${DOCS_ASSET_PATHS.style}">
<style>
  body { font-family: system-ui, sans-serif; margin: 0; color: #1f2328; background: #fff; }
  .bar { display: flex; gap: 1rem; align-items: center; padding: .6rem 1rem; background: #0f3d3e; color: #fff; }
  .bar a { color: #fff; font-weight: 600; } .bar span { opacity: .85; }
  #fallback { margin: 1rem auto; max-width: 60rem; padding: 0 1rem; }
  #fallback table { border-collapse: collapse; width: 100%; } #fallback td { border-top: 1px solid #ddd; padding: .4rem .6rem; vertical-align: top; }
  #fallback code { background: #f3f3f3; padding: 0 .2rem; border-radius: 3px; } #fallback pre { background: #f3f3f3; padding: .8rem; overflow-x: auto; }
  /* Swagger UI's defaults fail WCAG contrast (white on light green, grey on grey): darker shades. */
  .swagger-ui .opblock.opblock-post .opblock-summary-method { background: #17663f; }
  .swagger-ui .opblock.opblock-get .opblock-summary-method { background: #1a5796; }
  .swagger-ui .info .title small, .swagger-ui .info .title small pre { background: #4b5563; }
  .swagger-ui .info .title small.version-stamp { background: #3d6b10; }
  .swagger-ui .info a.link, .swagger-ui .info .url { color: #1a5796; }
  .swagger-ui .json-schema-2020-12-expand-deep-button { color: #4b5563; }
  .swagger-ui .microlight span[style*="211, 99, 99"], .swagger-ui .microlight span[style*="d36363"] { color: #f29b9b !important; }
  /* Examples wrap instead of scrolling: a scrolled box is out of reach of the keyboard. */
  .swagger-ui .microlight, .swagger-ui .highlight-code > pre { white-space: pre-wrap !important; word-break: break-word; overflow: visible !important; max-height: none !important; }
</style>
</head>
<body>
<nav class="bar" aria-label="Flowstate"><a href="/">← Dashboard</a><span>${escapeHtml(doc.info.title)} API reference</span><a href="${escapeHtml(openApiUrl)}">openapi.json</a></nav>
<main>
<div id="fallback">
<h1>${escapeHtml(doc.info.title)} API</h1>
${paragraphs}
<table>
<thead><tr><td><b>Method</b></td><td><b>Path</b></td><td><b>What it does</b></td></tr></thead>
<tbody>
${rows}
</tbody>
</table>
<p>Try it:</p>
<pre>${escapeHtml(curl)}</pre>
<p>The full machine-readable description is at <a href="${escapeHtml(openApiUrl)}"><code>${escapeHtml(openApiUrl)}</code></a>.</p>
</div>
<div id="swagger-ui" data-url="${escapeHtml(openApiUrl)}"></div>
</main>
<script src="${DOCS_ASSET_PATHS.script}"></script>
<script src="${DOCS_ASSET_PATHS.init}"></script>
</body>
</html>
`;
}

/**
 * Starts Swagger UI on the page's document and hides the plain list once it
 * has rendered. A file, not an inline script, so the page's CSP can forbid
 * inline scripts. No validator badge: it would call validator.swagger.io.
 */
const INIT_SCRIPT = `(function () {
  var root = document.getElementById('swagger-ui');
  if (typeof SwaggerUIBundle !== 'function' || !root) return;
  SwaggerUIBundle({
    url: root.getAttribute('data-url'),
    dom_id: '#swagger-ui',
    deepLinking: false,
    validatorUrl: null,
    defaultModelsExpandDepth: 1,
    defaultModelExpandDepth: 3,
    displayRequestDuration: true,
    tryItOutEnabled: false,
    onComplete: function () { document.getElementById('fallback').hidden = true; }
  });
})();
`;

/**
 * The `/docs` routes: the page (built per request: its curl example names the
 * host the reader used) and Swagger UI's files, read from the installed
 * package on first use and kept in memory.
 */
export function docsRoutes(openApi: OpenApiLike): Route[] {
  let assets: Record<string, StaticAsset> | undefined;
  const load = (): Record<string, StaticAsset> => {
    if (assets) return assets;
    const dir = dirname(createRequire(import.meta.url).resolve(`${DOCS_UI_PACKAGE}/package.json`));
    assets = {
      [DOCS_ASSET_PATHS.script]: staticAsset('text/javascript; charset=utf-8', readFileSync(join(dir, 'swagger-ui-bundle.js'))),
      [DOCS_ASSET_PATHS.style]: staticAsset('text/css; charset=utf-8', readFileSync(join(dir, 'swagger-ui.css'))),
      [DOCS_ASSET_PATHS.init]: staticAsset('text/javascript; charset=utf-8', INIT_SCRIPT),
    };
    return assets;
  };
  return [
    {
      pattern: /^\/docs$/,
      public: true,
      methods: {
        GET: (req, res) =>
          sendAsset(req, res, staticAsset('text/html; charset=utf-8', renderDocsPage(openApi, `http://${req.headers.host ?? 'localhost'}`)), {
            'content-security-policy': LOCAL_ONLY_CSP,
          }),
      },
    },
    ...Object.values(DOCS_ASSET_PATHS).map(
      (path): Route => ({
        pattern: new RegExp(`^${path.replace(/[.]/g, '\\.')}$`),
        public: true,
        methods: { GET: (req, res) => sendAsset(req, res, load()[path]) },
      }),
    ),
  ];
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
