import { Redis } from 'ioredis';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteKeysWithPrefix, randomPrefix, redisUrlForTests } from '../helpers/redis.ts';
import { startServer, type ServerHandle } from '../helpers/server.ts';
import { seriousViolations } from './axe.ts';
import { browserAvailable, launchBrowser, openPage, screenshot } from './browser.ts';
import { createThroughApi } from './fixtures.ts';

const redisUrl = await redisUrlForTests();

describe.runIf(browserAvailable() && redisUrl)('dashboard on a cluster (two processes, one Redis)', () => {
  const prefix = randomPrefix();
  const env = { REDIS_URL: redisUrl!, REDIS_PREFIX: prefix, SHUTDOWN_GRACE_MS: '0' };
  let api: ServerHandle;
  let worker: ServerHandle;
  let browser: Browser;
  beforeAll(async () => {
    [api, worker, browser] = await Promise.all([startServer(env), startServer({ ...env, ROLE: 'worker' }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([api?.stop(), worker?.stop()]);
    const redis = new Redis(redisUrl!);
    await deleteKeysWithPrefix(redis, prefix);
    redis.disconnect();
  });

  it("health lists the cluster's processes; a workflow's history, read from Redis, names the process of each attempt", async () => {
    const id = await createThroughApi(api.url, {
      name: 'ui_cluster_retry',
      steps: [{ execution_type: 'sequential', tasks: [{ id: 'flaky', name: 'fail', params: { times: 1, retry_count: 2, retry_delay: 0.2 } }] }],
    });
    const { context, page, errors } = await openPage(browser);
    await page.goto(`${api.url}/#/workflow/${id}`);
    await page.locator('article[data-status="succeeded"]').waitFor({ timeout: 20_000 });
    await page.locator('.event[data-type="workflow.succeeded"]').waitFor();
    const retrying = page.locator('.event[data-type="task.retrying"]');
    expect(await retrying.count()).toBe(1);
    expect(await page.locator('.event[data-type="task.started"] .ev-where .mono.muted').count()).toBe(2);

    // /health leaves the cluster part out while Redis is slow to answer (a loaded machine): allow for it.
    const summary = page.locator('.processes summary');
    await page.waitForFunction(() => /\b2\b processes/.test(document.querySelector('.processes summary')?.textContent ?? ''), undefined, { timeout: 30_000 });
    await summary.click();
    expect(await page.locator('.processes-panel li').count()).toBe(2);
    expect(await page.locator('.processes-panel').textContent()).toContain('(this one)');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'cluster-health');
    expect(errors).toEqual([]);
    await context.close();
  });
});
