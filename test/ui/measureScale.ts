/**
 * Measures the dashboard at scale in headless Chromium (not part of `npm test`: it
 * takes minutes and its figures depend on the machine). Run:
 *
 *   node --import tsx test/ui/measureScale.ts [stored=100000]
 *
 * Seeds a memory-store server with `stored` one-task workflows through the REST API,
 * then reports: the list's first render and "Load more" times, frame gaps while
 * scrolling 1,000 loaded rows, a 1,000-task workflow's render time and frame gaps
 * while its timeline scrolls, and frame gaps while 100 workflows change at once.
 */
import type { Page } from 'playwright-core';
import { startServer } from '../helpers/server.ts';
import { launchBrowser, openPage } from './browser.ts';
import { createThroughApi, sleepWorkflow, wideWorkflow } from './fixtures.ts';

const stored = Number(process.argv[2] ?? 100_000);

/**
 * Starts recording long tasks and the longest gap between animation frames.
 * A string, not a function: tsx would wrap named functions in a helper the page lacks.
 */
const FRAME_PROBE = `(() => {
  const probe = (window.probe = { longTasks: [], maxGap: 0, frames: 0, stop: false });
  new PerformanceObserver((list) => { for (const e of list.getEntries()) probe.longTasks.push(Math.round(e.duration)); }).observe({ type: 'longtask' });
  let last = performance.now();
  const frame = (t) => { probe.maxGap = Math.max(probe.maxGap, t - last); probe.frames++; last = t; if (!probe.stop) requestAnimationFrame(frame); };
  requestAnimationFrame(frame);
})()`;

async function startFrameProbe(page: Page): Promise<void> {
  await page.evaluate(FRAME_PROBE);
}

async function stopFrameProbe(page: Page): Promise<{ longTasks: number[]; maxGapMs: number; frames: number }> {
  return page.evaluate(() => {
    const w = window as unknown as { probe: { longTasks: number[]; maxGap: number; frames: number; stop: boolean } };
    w.probe.stop = true;
    return { longTasks: w.probe.longTasks, maxGapMs: Math.round(w.probe.maxGap), frames: w.probe.frames };
  });
}

/** Creates `count` workflows with `parallel` requests in flight. */
async function seed(url: string, count: number, parallel = 32): Promise<void> {
  let next = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < count) {
        const i = next++;
        await createThroughApi(url, sleepWorkflow(`seed_${i % 7}`, 0));
        if (i % 10_000 === 0) console.log(`  seeded ${i} (${Math.round((Date.now() - started) / 1000)} s)`);
      }
    }),
  );
}

const server = await startServer({ LOG_LEVEL: 'error', MAX_CONCURRENT_WORKFLOWS: '200' });
const browser = await launchBrowser();
try {
  console.log(`seeding ${stored} workflows…`);
  const seedStart = Date.now();
  await seed(server.url, stored);
  console.log(`  seeded in ${Math.round((Date.now() - seedStart) / 1000)} s`);
  const { page } = await openPage(browser);
  // Warm up: the first request for the page bundles it (once per server process).
  await page.goto(server.url + '/');
  await page.locator('a.row').first().waitFor();
  await page.goto('about:blank');

  // The list: first page, then 19 "Load more" (1,000 rows loaded).
  let t = Date.now();
  await page.goto(server.url + '/');
  await page.locator('a.row').first().waitFor();
  const firstRender = Date.now() - t;
  const loadMore: number[] = [];
  for (let i = 0; i < 19; i++) {
    const before = await page.locator('.workflow-list').getAttribute('style');
    t = Date.now();
    await page.getByRole('button', { name: 'Load more' }).click();
    await page.waitForFunction((b) => document.querySelector('.workflow-list')?.getAttribute('style') !== b, before);
    loadMore.push(Date.now() - t);
  }
  const domRows = await page.locator('.workflow-list > li').count();
  await startFrameProbe(page);
  for (let y = 0; y < 72 * 1000; y += 600) {
    await page.evaluate((top) => window.scrollTo(0, top), y);
    await page.waitForTimeout(16);
  }
  const listScroll = await stopFrameProbe(page);
  console.log(`list with ${stored} stored: first page drawn in ${firstRender} ms; load more (50 each) median ${loadMore.sort((a, b) => a - b)[9]} ms, max ${Math.max(...loadMore)} ms; 1,000 rows loaded, ${domRows} in the DOM`);
  console.log(`  scrolling through 1,000 rows: max frame gap ${listScroll.maxGapMs} ms, long tasks ${JSON.stringify(listScroll.longTasks)}`);

  // 100 workflows changing at once, with the list open at the top.
  await page.evaluate(() => window.scrollTo(0, 0));
  await startFrameProbe(page);
  await Promise.all(Array.from({ length: 100 }, (_, i) => createThroughApi(server.url, sleepWorkflow(`burst_${i}`, 1500))));
  await page.waitForTimeout(5000);
  const burst = await stopFrameProbe(page);
  console.log(`  100 workflows created, run and finished at once: max frame gap ${burst.maxGapMs} ms, long tasks ${JSON.stringify(burst.longTasks)}`);

  // A 1,000-task workflow, finished, opened cold.
  const wide = await createThroughApi(server.url, wideWorkflow('measure_wide', 1000));
  await new Promise((r) => setTimeout(r, 3000));
  const { page: wp } = await openPage(browser);
  await wp.goto(server.url + '/');
  await wp.locator('a.row').first().waitFor();
  t = Date.now();
  await wp.evaluate((id) => (location.hash = `#/workflow/${id}`), wide);
  await wp.waitForFunction(() => document.querySelectorAll('.tiles a').length === 1000 && document.querySelectorAll('.tl-rows > li').length > 0);
  const wideRender = Date.now() - t;
  const wideDom = await wp.evaluate(() => document.getElementsByTagName('*').length);
  await startFrameProbe(wp);
  for (let y = 0; y < 28 * 1000; y += 280) {
    await wp.locator('.timeline .vlist-box').evaluate((el, top) => el.scrollTo(0, top), y);
    await wp.waitForTimeout(16);
  }
  for (let y = 0; y < 4000; y += 200) {
    await wp.evaluate((top) => window.scrollTo(0, top), y);
    await wp.waitForTimeout(16);
  }
  const wideScroll = await stopFrameProbe(wp);
  console.log(`1,000-task workflow: drawn ${wideRender} ms after navigation (${wideDom} elements); scrolling the timeline and page: max frame gap ${wideScroll.maxGapMs} ms, long tasks ${JSON.stringify(wideScroll.longTasks)}`);

  // The same workflow while it runs (1,000 sleeps of 2 s): polled once a second.
  const running = await createThroughApi(server.url, {
    name: 'measure_wide_running',
    steps: [{ execution_type: 'parallel', tasks: Array.from({ length: 1000 }, (_, i) => ({ id: `s${i}`, name: 'sleep', params: { ms: 2000 + (i % 10) * 200 } })) }],
  });
  t = Date.now();
  await wp.evaluate((id) => (location.hash = `#/workflow/${id}`), running);
  await wp.waitForFunction(() => document.querySelectorAll('.tiles a').length === 1000);
  const runningRender = Date.now() - t;
  await startFrameProbe(wp);
  await wp.locator('article[data-status="succeeded"]').waitFor({ timeout: 60_000 });
  const runningProbe = await stopFrameProbe(wp);
  console.log(`1,000-task workflow running: drawn ${runningRender} ms after navigation; until it ended: max frame gap ${runningProbe.maxGapMs} ms, long tasks ${JSON.stringify(runningProbe.longTasks)}`);
} finally {
  await browser.close();
  await server.stop();
}
