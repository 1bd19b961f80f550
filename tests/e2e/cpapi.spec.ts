/**
 * The Client Portal Web API in the browser: an IBeam issue on GitHub, the gateway's own JSON
 * endpoint and login page on https://localhost:5000, another broker's look-alikes, the popup.
 */
import type { Page } from '@playwright/test';
import { card, expect, hoverMention, openFixture, scanSettled, test } from './fixtures';

/** [entry id, marked text] of each marker (a marker holds no text: its accessible name is the marked text). */
const markersOf = (page: Page) =>
  page.locator('[data-ibkr-error]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-ibkr-error'), e.getAttribute('aria-label')]));

test.describe('Client Portal Web API', () => {
  test('marks the IBeam log, the ibind wrapper and the JSON body of an IBeam issue', async ({ context }) => {
    const page = await openFixture(context, 'githubIbeam');
    await expect(page.locator('#comment-2 [data-ibkr-error]')).toHaveCount(2);
    expect(await markersOf(page)).toEqual([
      ['cpapi-ibeam-session-found', 'Gateway session found but not authenticated, authenticating'],
      ['cpapi-client-login-succeeds', 'Client login succeeds'],
      ['cpapi-ibeam-not-authenticated', 'Logging in succeeded, but active session is still not authenticated'],
      ['cpapi-ibeam-reauthenticate-failed', 'Repeatedly reauthenticating failed 3 times. Killing the Gateway and restarting the authentication process'],
      ['cpapi-access-denied', 'Access Denied'],
      // ibind's wrapper carries the gateway's body: the body's error is the one marked.
      ['cpapi-no-bridge', '"error":"Bad Request: no bridge"'],
      ['cpapi-not-authenticated', '"authenticated": false'],
    ]);
    await hoverMention(page, page.locator('[data-ibkr-error="cpapi-access-denied"]'));
    const text = (await card(page).textContent()) ?? '';
    expect(text).toContain('The Client Portal Gateway refused your IP address');
    expect(text).toContain('ips: allow:');
    await page.close();
  });

  test('explains a gateway that nothing answers at: the refusal of each client, the port 5000 case first', async ({ context }) => {
    const page = await openFixture(context, 'githubIbeamUnreachable');
    await expect(page.locator('#comment-1 [data-ibkr-error]')).toHaveCount(2);
    expect(await markersOf(page)).toEqual([
      [
        'cpapi-gateway-unreachable',
        `HTTPSConnectionPool(host='localhost', port=5000): Max retries exceeded with url: /v1/api/iserver/auth/status (Caused by NewConnectionError("HTTPSConnection(host='localhost', port=5000): Failed to establish a new connection: [Errno 111] Connection refused"))`,
      ],
      ['cpapi-gateway-unreachable', "Failed to connect to localhost port 5000 after 0 ms: Couldn't connect to server"],
    ]);
    await hoverMention(page, page.locator('[data-ibkr-error="cpapi-gateway-unreachable"]').first());
    await expect(card(page)).toContainText('Nothing listens on port 5000');
    const lines = (await card(page).innerText()).split('\n').map((l) => l.trim()).filter((l) => l !== '');
    // The header, then this case (the gateway's port) with its cause and fix, then the summary.
    expect(lines.slice(0, 7).map((l) => l.toLowerCase())).toEqual([
      'gateway unreachable',
      'error',
      'client portal web api',
      "nothing answers at the client portal gateway's address",
      'this case: nothing listens on port 5000',
      "cause: the client dialled the gateway's default port and nothing was there to answer - the gateway (or ibeam's container) is not running, not started yet, or its port is not published to this host.",
      'fix: start the gateway and wait until https://localhost:5000 opens in a browser; with docker, check docker ps and publish the port with -p 5000:5000.',
    ]);
    expect(lines[7]).toMatch(/^The call never reached the gateway/);
    expect(lines.join('\n')).not.toContain('7497');
    await page.close();
  });

  test("explains the gateway's raw JSON answer at https://localhost:5000", async ({ context }) => {
    const page = await openFixture(context, 'gatewayAuthStatus');
    expect(await markersOf(page)).toEqual([['cpapi-not-authenticated', '"authenticated":false']]);
    await hoverMention(page, page.locator('[data-ibkr-error]'));
    await expect(card(page)).toContainText('Client Portal session is not logged in');
    await page.close();
  });

  test("explains the gateway login page's error", async ({ context }) => {
    const page = await openFixture(context, 'gatewayLogin');
    expect(await markersOf(page)).toEqual([['cpapi-login-invalid-credentials', 'Invalid username password combination']]);
    await page.close();
  });

  test("leaves another broker's REST API errors unmarked", async ({ context }) => {
    const page = await openFixture(context, 'githubAlpaca', false);
    // The content script has scanned the whole page (the test build's scan-settled signal).
    await scanSettled(page);
    expect(await markersOf(page)).toEqual([]);
    // And it is there and watching: an IBKR error added now is marked.
    await page.evaluate(() => {
      const p = document.createElement('p');
      p.id = 'control';
      p.textContent = 'Error 326, reqId -1: Unable to connect as the client id is already in use.';
      document.querySelector('main')!.append(p);
    });
    await page.locator('#control [data-ibkr-error]').waitFor({ state: 'attached' });
    expect(await markersOf(page)).toEqual([['ibkr-326', 'Error 326, reqId -1: Unable to connect as the client id is already in use']]);
    await page.close();
  });

  test('the popup finds Client Portal entries first and filters by the category', async ({ context, extensionId }) => {
    const page = await context.newPage();
    await page.goto(`chrome-extension://${extensionId}/popup.html`);
    const input = page.locator('input[type=search]');
    for (const [query, id] of [
      ['o163', 'cpapi-o163'],
      ['no bridge', 'cpapi-no-bridge'],
      ['ips.allow', 'cpapi-access-denied'],
      ['ssodh', 'cpapi-no-bridge'],
    ]) {
      await input.fill(query);
      await expect(page.locator('#results [data-entry-id]').first(), `first result for "${query}"`).toHaveAttribute('data-entry-id', id);
    }
    await input.fill('');
    await page.locator('#category').selectOption('cpapi');
    const ids = await page.locator('#results [data-entry-id]').evaluateAll((els) => els.map((e) => e.getAttribute('data-entry-id') ?? ''));
    expect(ids.length).toBeGreaterThan(40);
    expect(ids.filter((id) => !id.startsWith('cpapi-'))).toEqual([]);
    await page.close();
  });
});
