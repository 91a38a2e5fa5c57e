import type { Request } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { seriousViolations } from './axe.ts';
import { serverAndBrowser } from './serverAndBrowser.ts';
import { browserAvailable, openPage, screenshot } from './browser.ts';
import { createThroughApi, sleepWorkflow } from './fixtures.ts';

const KEY = 'ui-test-key-7f3a';

describe.runIf(browserAvailable())('dashboard with API_KEY set', () => {
  const ui = serverAndBrowser({ API_KEY: KEY });

  it('shows only the key prompt without the key, says so for a wrong one, and everything with the right one (live updates included)', async () => {
    const finished = await createThroughApi(ui.server.url, sleepWorkflow('ui_secret_workflow', 0), KEY);
    const { context, page, errors } = await openPage(ui.browser);
    const requests: Request[] = [];
    page.on('request', (r) => requests.push(r));

    await page.goto(ui.server.url + '/');
    const input = page.getByLabel('API key');
    await input.waitFor();
    // Nothing but the prompt: no navigation, no list, no workflow data on the page.
    expect(await page.locator('header, nav, .workflow-list').count()).toBe(0);
    expect(await page.content()).not.toContain(finished);
    expect(await page.content()).not.toContain('ui_secret_workflow');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'key-prompt');

    await input.fill('not-the-key');
    await page.getByRole('button', { name: 'Open the dashboard' }).click();
    await page.getByRole('alert').filter({ hasText: 'refused' }).waitFor();
    expect(await page.locator('.workflow-list').count()).toBe(0);
    await screenshot(page, 'key-refused');

    await page.getByLabel('API key').fill(KEY);
    await page.getByRole('button', { name: 'Open the dashboard' }).click();
    await page.locator(`a.row[data-id="${finished}"]`).waitFor();

    // Kept for the tab: a reload needs no prompt.
    await page.reload();
    await page.locator(`a.row[data-id="${finished}"]`).waitFor();
    expect(await page.getByLabel('API key').count()).toBe(0);

    // A running workflow followed live: the SSE subscription carries the key too.
    const running = await createThroughApi(ui.server.url, sleepWorkflow('ui_secret_running', 1500), KEY);
    await page.goto(`${ui.server.url}/#/workflow/${running}`);
    await page.locator('article[data-status="running"]').waitFor();
    await page.locator('article[data-status="succeeded"]').waitFor({ timeout: 15_000 });
    const watch = requests.filter((r) => r.url().includes('/trpc/workflow.watch'));
    expect(watch.length).toBeGreaterThan(0);
    for (const r of watch) expect(r.headers().authorization).toBe(`Bearer ${KEY}`);
    // Every data call of the session carried a key (the wrong one, then the right one); none went without.
    const dataCalls = requests.filter((r) => new URL(r.url()).pathname.startsWith('/trpc/') && !r.url().includes('/trpc/health'));
    expect(dataCalls.length).toBeGreaterThan(0);
    for (const r of dataCalls.slice(1)) expect(r.headers().authorization, r.url()).toMatch(/^Bearer /);
    expect(errors).toEqual([]);
    await context.close();
  });
});
