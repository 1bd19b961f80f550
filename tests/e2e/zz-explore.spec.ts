import { readFileSync, mkdirSync } from 'node:fs';
import { test, expect, scanSettled, card, hoverMention, UI_HOST } from './fixtures';

const DIR = '/tmp/inpage-explore/pages/';
const OUT = '/tmp/inpage-explore/out/';
mkdirSync(OUT, { recursive: true });
const EXTRA: Record<string, { file: string; type?: string }> = {
  'https://github.com/erdewit/ib_insync/issues/9200': { file: 'many-lines.html' },
  'https://github.com/erdewit/ib_insync/issues/9101': { file: 'gh-traceback.html' },
  'https://stackoverflow.com/questions/78000101/ib-insync-qualifycontracts-error-200': { file: 'so-question.html' },
  'http://localhost:8888/lab/tree/live.ipynb': { file: 'jupyter-stream.html' },
  'https://www.reddit.com/r/algotrading/comments/1xyz99/ibkr_api_keeps_failing/': { file: 'reddit-comment.html' },
  'https://localhost:5000/v1/api/iserver/account/orders': { file: 'cpapi-orders.json', type: 'application/json' },
  'https://localhost:5000/v1/api/tickle': { file: 'cpapi-tickle.json', type: 'application/json' },
};
const only = process.env.EXPLORE_URL;

for (const [url, spec] of Object.entries(EXTRA)) {
  if (only && !url.includes(only)) continue;
  test(`explore ${spec.file}`, async ({ context, serviceWorker }) => {
    test.setTimeout(120_000);
    const logs: string[] = [];
    serviceWorker.on('console', (m) => logs.push(`SW ${m.type()}: ${m.text()}`));
    await context.route(url, (route) => route.fulfill({ status: 200, contentType: `${spec.type ?? 'text/html'}; charset=utf-8`, body: readFileSync(DIR + spec.file) }));
    const page = await context.newPage();
    page.on('console', (m) => logs.push(`PAGE ${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => logs.push(`PAGEERROR ${e.message}`));
    await page.goto(url);
    if (process.env.EXPLORE_WAIT) await page.waitForTimeout(Number(process.env.EXPLORE_WAIT));
    await scanSettled(page);
    const markers = await page.locator('[data-ibkr-error]').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-ibkr-error')} | ${e.getAttribute('data-ibkr-variant') ?? ''} | «${e.getAttribute('aria-label')}»`));
    console.log(`=== ${spec.file}\n${markers.join('\n')}`);
    await page.screenshot({ path: `${OUT}${spec.file}.png`, fullPage: true });
    const all = page.locator('[data-ibkr-error]');
    const n = await all.count();
    for (let i = 0; i < n; i++) {
      const m = all.nth(i);
      await m.scrollIntoViewIfNeeded().catch(() => {});
      await scanSettled(page);
      await m.hover();
      await expect(card(page)).toBeVisible();
      const text = await card(page).innerText();
      console.log(`--- card ${i}: ${text.replace(/\n+/g, ' ⏎ ').slice(0, 330)}`);
      if (i < 3) await page.screenshot({ path: `${OUT}${spec.file}-card${i}.png` });
      await page.mouse.move(0, 0);
      await expect(card(page)).toBeHidden();
    }
    console.log(logs.join('\n'));
  });
}
