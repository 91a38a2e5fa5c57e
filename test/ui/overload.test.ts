import { Agent } from 'node:http';
import { describe, expect, it } from 'vitest';
import { sendOver, whileHeld } from '../helpers/heldServer.ts';
import { seriousViolations } from './axe.ts';
import { serverAndBrowser } from './serverAndBrowser.ts';
import { browserAvailable, openPage, screenshot } from './browser.ts';
import { sleepWorkflow } from './fixtures.ts';

describe.runIf(browserAvailable())('dashboard on an overloaded server', () => {
  const ui = serverAndBrowser({ OVERLOAD_STALL_MS: '200' });

  it('the health bar says how many creates the server refused while its event loop was stalled', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      expect((await sendOver(agent, ui.server.url, 'GET', '/health')).status).toBe(200);
      const refused = await whileHeld(ui.server, 800, () => sendOver(agent, ui.server.url, 'POST', '/api/workflow', sleepWorkflow('ui_refused', 0)));
      expect((await refused).status).toBe(503);
    } finally {
      agent.destroy();
    }

    const { context, page, errors } = await openPage(ui.browser);
    await page.goto(ui.server.url + '/');
    const bar = page.getByRole('status', { name: 'Server health' });
    await bar.getByText('1 create refused (overloaded)').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'health-overload');
    expect(errors).toEqual([]);
    await context.close();
  });
});
