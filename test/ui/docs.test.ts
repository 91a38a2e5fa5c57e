import { describe, expect, it } from 'vitest';
import { seriousViolations } from './axe.ts';
import { serverAndBrowser } from './serverAndBrowser.ts';
import { browserAvailable, openPage, screenshot } from './browser.ts';

describe.runIf(browserAvailable())('/docs in Chromium, offline', () => {
  const ui = serverAndBrowser();

  it('renders the interactive reference with every route, its schemas and an example, asking nothing of the internet', async () => {
    const doc = (await (await fetch(`${ui.server.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    const operations = Object.values(doc.paths).reduce((n, ops) => n + Object.keys(ops).length, 0);
    const { context, page, errors } = await openPage(ui.browser);
    // Offline: anything not on this server is refused, and recorded.
    const outside: string[] = [];
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.host === new URL(ui.server.url).host) return route.continue();
      outside.push(url.href);
      return route.abort();
    });

    await page.goto(`${ui.server.url}/docs`);
    await page.locator('.opblock').first().waitFor();
    expect(await page.locator('.opblock').count()).toBe(operations);
    expect(await page.locator('#fallback').isHidden()).toBe(true);

    // POST /api/workflow opens to its request schema and example body.
    await page.locator('.opblock-post .opblock-summary').first().click();
    const body = page.locator('.opblock-post .opblock-body').first();
    await body.locator('.body-param__example, .example, .highlight-code').first().waitFor();
    expect(await body.textContent()).toContain('sample_workflow');
    await page.locator('.models, section.models').first().waitFor();
    expect(await page.locator('.models').textContent()).toContain('WorkflowDefinition');

    // Swagger UI's own colours fail WCAG contrast; the page overrides them.
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'docs');

    // Linked both ways with the dashboard.
    await page.getByRole('link', { name: '← Dashboard' }).click();
    await page.waitForURL(`${ui.server.url}/`);
    await page.getByRole('link', { name: 'API docs' }).waitFor();
    expect(outside).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
