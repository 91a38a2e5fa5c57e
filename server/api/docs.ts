import { SAMPLE_WORKFLOW } from './openapi.ts';

/** Where the interactive reference (Scalar) is loaded from, in the user's browser. */
export const SCALAR_CDN_URL = 'https://cdn.jsdelivr.net/npm/@scalar/api-reference@1';

interface OpenApiLike {
  info: { title: string; description?: string };
  security?: unknown[];
  paths: Record<string, Record<string, { summary?: string }>>;
}

/**
 * The `/docs` page. The server renders a plain list of every route from the
 * OpenAPI document, readable with no script at all; the browser then loads
 * Scalar from a CDN and, when it arrives, swaps the list for the interactive
 * reference. Offline, or with scripts blocked, the list stays.
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
<title>${escapeHtml(doc.info.title)} API</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #222; }
  table { border-collapse: collapse; width: 100%; } td { border-top: 1px solid #ddd; padding: .4rem .6rem; vertical-align: top; }
  code { background: #f3f3f3; padding: 0 .2rem; border-radius: 3px; } pre { background: #f3f3f3; padding: .8rem; overflow-x: auto; }
</style>
</head>
<body>
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
<p>The full machine-readable description is at <a href="${escapeHtml(openApiUrl)}"><code>${escapeHtml(openApiUrl)}</code></a>.
<span id="loading">Loading the interactive reference…</span></p>
</div>
<div id="app"></div>
<script>
  function flowstateDocsFailed() {
    var l = document.getElementById('loading');
    if (l) l.textContent = '(The interactive reference could not be loaded; the list above is complete.)';
  }
  function flowstateDocsLoaded() {
    try {
      Scalar.createApiReference('#app', { url: ${JSON.stringify(openApiUrl)} });
      document.getElementById('fallback').style.display = 'none';
    } catch (e) { flowstateDocsFailed(); }
  }
</script>
<script src="${SCALAR_CDN_URL}" onload="flowstateDocsLoaded()" onerror="flowstateDocsFailed()" async></script>
</body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
