/**
 * Where the content script runs by itself. Everywhere else the extension does nothing until the
 * user picks "Explain selection" on a page (activeTab).
 */
export const CONTENT_SCRIPT_MATCHES = [
  // GitHub issues, discussions, READMEs, gists
  'https://github.com/*',
  'https://gist.github.com/*',
  // Stack Overflow and Stack Exchange sites
  'https://stackoverflow.com/*',
  'https://*.stackexchange.com/*',
  // Interactive Brokers' own sites: client portal, IBKR Campus, API documentation
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
  // The TWS API user group
  'https://groups.io/g/twsapi/*',
  // Reddit (r/interactivebrokers, r/algotrading)
  'https://www.reddit.com/*',
  'https://old.reddit.com/*',
  // Jupyter and other local notebooks: where these errors are met first (any port)
  'http://localhost/*',
  'http://127.0.0.1/*',
];

/** Sites that are about the IBKR API as a whole: every page counts as IBKR context. */
const IBKR_SITES = [
  /^https:\/\/([a-z0-9-]+\.)*interactivebrokers\.(?:com|co\.uk|eu|ca|com\.au|com\.hk|co\.jp|co\.in)\//,
  /^https:\/\/interactivebrokers\.github\.io\//,
  /^https:\/\/([a-z0-9-]+\.)*ibkrcampus\.com\//,
  /^https:\/\/groups\.io\/g\/twsapi\//,
];

export function hasSiteContext(url: string): boolean {
  return IBKR_SITES.some((re) => re.test(url));
}
