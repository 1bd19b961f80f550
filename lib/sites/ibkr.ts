/** Interactive Brokers' own sites: the client portal, IBKR Campus, the API documentation. */
import type { SiteModule } from './site-module';

export const ibkr = {
  id: 'ibkr',
  label: 'IBKR sites (client portal, IBKR Campus, API docs)',
  matches: [
    'https://*.interactivebrokers.com/*',
    'https://*.interactivebrokers.co.uk/*',
    'https://*.interactivebrokers.eu/*',
    'https://*.interactivebrokers.ca/*',
    'https://*.interactivebrokers.com.au/*',
    'https://*.interactivebrokers.com.hk/*',
    'https://*.interactivebrokers.co.jp/*',
    'https://*.interactivebrokers.co.in/*',
    'https://interactivebrokers.github.io/*',
    'https://ibkrcampus.com/*',
    'https://*.ibkrcampus.com/*',
  ],
  ibkrContext: true,
} as const satisfies SiteModule;

export const testUrls = [
  'https://www.interactivebrokers.com/campus/ibkr-api-page/twsapi-doc/',
  'https://www.interactivebrokers.com/portal/',
  'https://ndcdyn.interactivebrokers.com/sso/Login',
  'https://www.interactivebrokers.co.uk/portal/',
  'https://www.interactivebrokers.eu/',
  'https://www.interactivebrokers.ca/',
  'https://www.interactivebrokers.com.au/',
  'https://www.interactivebrokers.com.hk/',
  'https://www.interactivebrokers.co.jp/',
  'https://www.interactivebrokers.co.in/',
  'https://interactivebrokers.github.io/tws-api/message_codes.html',
  'https://www.ibkrcampus.com/trading-lessons/',
  'https://ibkrcampus.com/',
];
