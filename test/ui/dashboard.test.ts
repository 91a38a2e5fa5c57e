import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { seriousViolations } from './axe.ts';
import { serverAndBrowser } from './serverAndBrowser.ts';
import { browserAvailable, openPage, screenshot, VIEWPORTS } from './browser.ts';
import { createThroughApi, failingWorkflow, sleepWorkflow, stateThroughApi, wideWorkflow } from './fixtures.ts';

/** No horizontal scrolling: the page fits the viewport's width. */
async function fitsWidth(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

describe.runIf(browserAvailable())('dashboard at / in Chromium', () => {
  const ui = serverAndBrowser();

  it('the list shows a workflow created through the API and follows it live to succeeded, without a reload', async () => {
    const { context, page, errors } = await openPage(ui.browser);
    await page.goto(ui.server.url + '/');
    await page.getByRole('heading', { name: 'Workflows' }).waitFor();
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));

    const id = await createThroughApi(ui.server.url, sleepWorkflow('ui_live_list', 1500));
    const row = page.locator(`a.row[data-id="${id}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('ui_live_list');
    await page.locator(`a.row[data-id="${id}"][data-status="succeeded"]`).waitFor({ timeout: 15_000 });
    expect(await row.textContent()).toContain('succeeded');
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);

    // Counts per state (read every second, so up to a second behind the live row) and the status filter.
    await page.waitForFunction(() => /succeeded\s*\d+/.test(document.querySelector('.counts')?.textContent ?? ''), undefined, { timeout: 5_000 });
    await page.getByLabel('State', { exact: true }).selectOption('failed');
    await page.waitForFunction(() => location.hash.includes('status=failed'));
    await row.waitFor({ state: 'detached' });
    await page.getByLabel('State', { exact: true }).selectOption('');
    await row.waitFor();
    await page.getByLabel('Name contains').fill('no_such_name');
    await row.waitFor({ state: 'detached' });
    await page.getByLabel('Name contains').fill('live_list');
    await row.waitFor();

    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'list-desktop');
    expect(errors).toEqual([]);
    await context.close();
  });

  it("a failed workflow shows the failing task's error on the task, and the workflow's error at the top", async () => {
    const id = await createThroughApi(ui.server.url, failingWorkflow('ui_fails', 'disk on fire'));
    const { context, page, errors } = await openPage(ui.browser);
    await page.goto(`${ui.server.url}/#/workflow/${id}`);
    await page.locator('article[data-status="failed"]').waitFor();
    expect(await page.locator('[data-task="boom"] .task-error').textContent()).toContain('disk on fire');
    expect(await page.locator('[data-task="boom"] .badge').textContent()).toContain('failed');
    expect(await page.locator('article .error-box').first().textContent()).toContain('disk on fire');

    // The task opens to its detail: the full error, params and output.
    await page.locator('[data-task="boom"]').click();
    await page.getByRole('heading', { name: 'boom' }).waitFor();
    expect(await page.locator('.task-detail .error-box').textContent()).toContain('disk on fire');
    expect(await page.getByRole('group', { name: 'Params of boom' }).textContent()).toContain('disk on fire');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'workflow-failed-desktop');
    expect(errors).toEqual([]);
    await context.close();
  });

  it("create: a bad definition shows the server's error at the field it names; an example runs and opens, live to succeeded", async () => {
    const { context, page, errors } = await openPage(ui.browser);
    await page.goto(`${ui.server.url}/#/new`);
    const editor = page.getByLabel('Definition (JSON)');
    const bad = { name: 'ui_bad', steps: [{ execution_type: 'sequential', tasks: [{ name: 'sleep', params: { ms: 10, timeout: -5 } }] }] };
    await editor.fill(JSON.stringify(bad, null, 2));
    await page.getByRole('button', { name: 'Create and run' }).click();
    const problem = page.locator('.field-error[data-path="steps.0.tasks.0.params.timeout"]');
    await problem.waitFor();
    expect(await problem.textContent()).toContain('line 11');
    await problem.getByRole('button', { name: 'Show in the definition' }).click();
    const selected = await editor.evaluate((el: HTMLTextAreaElement) => el.value.slice(el.selectionStart, el.selectionEnd));
    expect(selected).toBe('"timeout": -5');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'create-error-desktop');

    await page.getByRole('button', { name: 'retry.json' }).click();
    await page.getByRole('button', { name: 'Create and run' }).click();
    await page.waitForFunction(() => location.hash.startsWith('#/workflow/'));
    await page.getByRole('heading', { name: 'retry_then_succeed' }).waitFor();
    await page.locator('article[data-status="succeeded"]').waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-task="flaky"]').textContent()).toContain('attempt 3/4');

    // The history: every change, live; flaky failed twice and was retried.
    await page.locator('.event[data-type="workflow.succeeded"]').waitFor();
    expect(await page.locator('.event[data-type="task.retrying"]').count()).toBe(2);
    expect(await page.locator('.event[data-type="task.started"]').count()).toBe(5);
    // The timeline: a row per task, a bar per attempt (3 for flaky) and the two backoff waits between them.
    expect(await page.locator('.tl-rows > li').count()).toBe(3);
    const flakyRow = page.locator('.tl-rows a[href$="/task/flaky"]');
    expect(await flakyRow.locator('.tl-bar').count()).toBe(3);
    expect(await flakyRow.locator('.tl-gap').count()).toBe(2);
    expect(await page.locator('.tl-rows .tl-bar').count()).toBe(5);
    await page.locator('[data-task="flaky"]').click();
    await page.getByRole('heading', { name: 'flaky' }).waitFor();
    // Its attempts, from the history: two failures with their error, then the success.
    expect(await page.locator('.attempts > li').count()).toBe(3);
    expect(await page.locator('.attempts > li').first().textContent()).toContain('upstream not ready');
    // With the task open, the history narrows to it.
    await page.locator('.event[data-type="task.succeeded"]').first().waitFor();
    expect(await page.locator('.event a.mono').allTextContents()).toEqual(Array(6).fill('flaky'));
    expect(await page.locator('.event .ev-type').allTextContents()).toEqual(['task.started', 'task.retrying', 'task.started', 'task.retrying', 'task.started', 'task.succeeded']);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'workflow-desktop');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('search by id opens the workflow; an unknown id says so', async () => {
    const id = await createThroughApi(ui.server.url, sleepWorkflow('ui_find_me', 0));
    const { context, page, errors } = await openPage(ui.browser);
    await page.goto(ui.server.url + '/');
    await page.getByLabel('Workflow id').fill('00000000-0000-4000-8000-000000000000');
    await page.getByRole('button', { name: 'Open' }).click();
    expect(await page.locator('#id-problem').textContent()).toContain('No workflow has the id');
    await page.getByLabel('Workflow id').fill(id);
    await page.getByRole('button', { name: 'Open' }).click();
    await page.getByRole('heading', { name: 'ui_find_me' }).waitFor();
    expect(page.url()).toContain(`#/workflow/${id}`);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('cancels a running workflow; run again starts a new one with the same definition', async () => {
    const id = await createThroughApi(ui.server.url, sleepWorkflow('ui_cancel_me', 60_000));
    const { context, page, errors } = await openPage(ui.browser);
    await page.goto(`${ui.server.url}/#/workflow/${id}`);
    await page.locator('article[data-status="running"]').waitFor();
    await page.getByRole('button', { name: 'Cancel workflow' }).click();
    await page.locator('article[data-status="cancelled"]').waitFor();
    expect(await page.locator('[data-task="nap"] .badge').textContent()).toContain('cancelled');
    expect(await stateThroughApi(ui.server.url, id)).toBe('cancelled');

    await page.getByRole('button', { name: 'Run again' }).click();
    await page.waitForFunction((old) => location.hash.startsWith('#/workflow/') && !location.hash.includes(old), id);
    await page.locator('article[data-status="running"]').waitFor();
    const again = await page.locator('article').getAttribute('data-id');
    expect(again).not.toBe(id);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('ui_cancel_me');
    await page.getByRole('button', { name: 'Cancel workflow' }).click();
    await page.locator('article[data-status="cancelled"]').waitFor();

    // "Edit and run" opens the create form with this workflow's definition.
    await page.getByRole('link', { name: 'Edit and run' }).click();
    await page.waitForFunction(() => (document.querySelector('#definition') as HTMLTextAreaElement | null)?.value.includes('ui_cancel_me'));
    const copy = JSON.parse(await page.getByLabel('Definition (JSON)').inputValue());
    expect(copy.steps[0].tasks[0]).toEqual({ id: 'nap', name: 'sleep', params: { ms: 60_000 } });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('keyboard: skip link, rows and tasks reached with Tab and opened with Enter; "Load more" follows the cursor to the end', async () => {
    await Promise.all(Array.from({ length: 55 }, (_, i) => createThroughApi(ui.server.url, sleepWorkflow(`ui_page_${i}`, 0))));
    const total = ((await (await fetch(`${ui.server.url}/api/workflows?limit=500`)).json()) as unknown[]).length;
    const { context, page, errors } = await openPage(ui.browser);
    const focused = (selector: string) => page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector);
    const tabTo = async (selector: string) => {
      for (let i = 0; i < 40 && !(await focused(selector)); i++) await page.keyboard.press('Tab');
      expect(await focused(selector), selector).toBe(true);
    };
    await page.goto(ui.server.url + '/');
    await page.locator('a.row').first().waitFor();
    await page.keyboard.press('Tab');
    expect(await focused('a.skip')).toBe(true);
    await page.keyboard.press('Enter');
    expect(await focused('#main')).toBe(true);
    await tabTo('a.row');
    const id = await page.evaluate(() => document.activeElement!.getAttribute('data-id'));
    await page.keyboard.press('Enter');
    await page.waitForFunction((wid) => location.hash === `#/workflow/${wid}`, id);
    await page.locator('article').waitFor();
    await tabTo('a.task-card');
    await page.keyboard.press('Enter');
    await page.locator('.task-detail').waitFor();
    expect(await focused('#task-title')).toBe(true);

    // The list reads the store page by page: 50, then the rest on "Load more".
    await page.goto(ui.server.url + '/');
    await page.locator('a.row').first().waitFor();
    expect(await page.locator('.workflow-list > li').count()).toBe(50);
    await page.getByRole('button', { name: 'Load more' }).click();
    await page.getByText('That is all of them.').waitFor();
    expect(await page.locator('.workflow-list > li').count()).toBe(total);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('filters by name on the server: only matching rows, "Load more" pages under the filter, new matches appear live', async () => {
    // Interleaved, so the newest 50 of the store hold both names: a filter over loaded rows could not show 50 alphas.
    const alphas: string[] = [];
    for (let i = 0; i < 60; i++) {
      alphas.push(await createThroughApi(ui.server.url, sleepWorkflow(`ui_Filter_Alpha_${i}`, 0)));
      if (i % 3 === 0) await createThroughApi(ui.server.url, sleepWorkflow(`ui_filter_beta_${i}`, 0));
    }
    const { context, page, errors } = await openPage(ui.browser);
    const listCalls: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('workflow.list')) listCalls.push(decodeURIComponent(r.url()));
    });
    const rowNames = () => page.locator('.workflow-list a.row .row-main').allTextContents();
    await page.goto(ui.server.url + '/');
    await page.locator('a.row').first().waitFor();

    await page.getByLabel('Name contains').fill('FILTER_ALPHA');
    await page.waitForFunction(() => location.hash.includes('name=FILTER_ALPHA'));
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('.workflow-list a.row')];
      return rows.length === 50 && rows.every((r) => r.textContent!.includes('ui_Filter_Alpha_'));
    });
    expect(listCalls.some((u) => u.includes('"name":"FILTER_ALPHA"'))).toBe(true);
    expect(await page.locator('.workflow-list a.row').first().getAttribute('data-id')).toBe(alphas[59]);
    await page.getByRole('button', { name: 'Load more' }).click();
    await page.getByText('That is all of them.').waitFor();
    const ids = await page.locator('.workflow-list a.row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')));
    expect(ids).toEqual([...alphas].reverse());

    // Live under the filter: a new match appears; a new workflow of the other name does not.
    const beta = await createThroughApi(ui.server.url, sleepWorkflow('ui_filter_beta_late', 0));
    const alpha = await createThroughApi(ui.server.url, sleepWorkflow('ui_filter_ALPHA_late', 0));
    await page.locator(`a.row[data-id="${alpha}"]`).waitFor();
    expect(await page.locator(`a.row[data-id="${beta}"]`).count()).toBe(0);

    // The other name, and with a state as well.
    await page.getByLabel('Name contains').fill('filter_beta');
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('.workflow-list a.row')];
      return rows.length === 21 && rows.every((r) => r.textContent!.includes('ui_filter_beta_'));
    });
    expect((await rowNames()).every((n) => !/alpha/i.test(n))).toBe(true);
    await page.getByLabel('State', { exact: true }).selectOption('failed');
    await page.getByText('No workflow matches.').waitFor();
    await page.getByLabel('State', { exact: true }).selectOption('succeeded');
    await page.locator(`a.row[data-id="${beta}"][data-status="succeeded"]`).waitFor();
    expect(await page.locator('.workflow-list a.row').count()).toBe(21);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'list-filtered-desktop');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('at 390×844 (a phone, dark scheme) the list and a workflow fit the screen and pass axe', async () => {
    const id = await createThroughApi(ui.server.url, failingWorkflow('ui_phone_with_a_rather_long_workflow_name_to_wrap', 'a long error message that must wrap on a narrow screen instead of overflowing it'));
    const { context, page, errors } = await openPage(ui.browser, VIEWPORTS.phone, 'dark');
    await page.goto(ui.server.url + '/');
    await page.locator(`a.row[data-id="${id}"]`).waitFor();
    await screenshot(page, 'list-phone');
    expect(await fitsWidth(page)).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await page.locator(`a.row[data-id="${id}"]`).click();
    await page.locator('article[data-status="failed"]').waitFor();
    await page.locator('[data-task="boom"]').click();
    await page.getByRole('heading', { name: 'boom' }).waitFor();
    await screenshot(page, 'workflow-phone');
    expect(await fitsWidth(page)).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a 1,000-task step is drawn as tiles; the timeline draws only the rows on screen', async () => {
    const id = await createThroughApi(ui.server.url, wideWorkflow('ui_wide', 1000));
    const { context, page, errors } = await openPage(ui.browser);
    await page.goto(`${ui.server.url}/#/workflow/${id}`);
    await page.locator('article[data-status="succeeded"]').waitFor({ timeout: 20_000 });
    expect(await page.locator('.tiles a').count()).toBe(1000);
    const timelineRows = await page.locator('.tl-rows > li').count();
    expect(timelineRows).toBeGreaterThan(0);
    expect(timelineRows).toBeLessThan(100);
    // The timeline scrolls in its own box; scrolled to the end, the last task's row is drawn.
    await page.locator('.timeline .vlist-box').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await page.locator('.tl-rows a[href$="/task/t999"]').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'workflow-1000-tasks');
    expect(errors).toEqual([]);
    await context.close();
  });
});
