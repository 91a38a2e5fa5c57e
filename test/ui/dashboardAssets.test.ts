import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildDashboard, DASHBOARD_ASSET_PATHS, loadDashboard, writeDashboard } from '../../server/api/dashboardAssets.ts';

/** The budget for JavaScript shipped to the browser, gzipped. */
const JS_BUDGET_GZ = 200 * 1024;

describe('the dashboard bundle', () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  it('is one page, one script and one stylesheet, the script under 200 kB gzipped, nothing loaded from elsewhere', async () => {
    const bundle = await buildDashboard();
    const html = bundle.page.body.toString('utf8');
    expect(html).toContain(`src="${DASHBOARD_ASSET_PATHS.script}"`);
    expect(html).toContain(`href="${DASHBOARD_ASSET_PATHS.style}"`);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(bundle.script.gzipped.length).toBeLessThan(JS_BUDGET_GZ);
    expect(bundle.script.body.toString('utf8')).not.toMatch(/https?:\/\/(cdn|unpkg|fonts)\./);
  });

  it('written by `npm run build` into a folder, it is served from there as built', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'flowstate-dashboard-'));
    dirs.push(dir);
    await writeDashboard(dir);
    expect((await readdir(dir)).sort()).toEqual(['app.css', 'app.js', 'index.html']);
    const loaded = await loadDashboard(dir);
    const built = await buildDashboard();
    expect(loaded.script.etag).toBe(built.script.etag);
    expect(loaded.page.body.equals(built.page.body)).toBe(true);
  });
});
