/** Stack Overflow and the Stack Exchange sites (Quantitative Finance, Server Fault …). */
import { themeClass, type SiteModule } from './site-module';

export const stackoverflow = {
  id: 'stackoverflow',
  label: 'Stack Overflow / Stack Exchange',
  matches: ['https://stackoverflow.com/*', 'https://*.stackexchange.com/*'],
  // A question's or an answer's body.
  posts: ['.s-prose', '.js-post-body'],
  // body.theme-dark, body.theme-light; body.theme-system follows the system (asks on).
  theme: (doc) => themeClass(doc.body),
} as const satisfies SiteModule;

export const testUrls = [
  'https://stackoverflow.com/questions/tagged/interactive-brokers',
  'https://stackoverflow.com/questions/tagged/ib-insync',
  'https://quant.stackexchange.com/questions',
];
