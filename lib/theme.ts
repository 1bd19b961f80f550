/**
 * The colour scheme a page declares for itself, so the card matches the site rather than only the
 * OS setting (a dark GitHub on a light OS gets a dark card). Takes the Document it reads; reads
 * attributes and classes only (no layout, no computed styles), so it is cheap to call per show.
 *
 * Returns null where the page declares nothing or says "follow the system": the card then follows
 * `prefers-color-scheme`.
 */
export type PageTheme = 'light' | 'dark';

const word = (value: string | null | undefined): PageTheme | null => {
  const v = (value ?? '').toLowerCase();
  if (/\bdark|night/.test(v)) return 'dark';
  if (/\blight|day\b/.test(v)) return 'light';
  return null;
};

export function pageTheme(doc: Document): PageTheme | null {
  const html = doc.documentElement;
  const body = doc.body;
  // GitHub: <html data-color-mode="light|dark|auto">; "auto" follows the system.
  const github = html.getAttribute('data-color-mode');
  if (github) return github === 'auto' ? null : word(github);
  // Stack Overflow / Stack Exchange: body.theme-dark, body.theme-light, body.theme-system.
  // Reddit (new): html.theme-dark / html.theme-light.
  for (const el of [html, body]) {
    if (!el) continue;
    if (el.classList.contains('theme-dark')) return 'dark';
    if (el.classList.contains('theme-light')) return 'light';
  }
  // Old Reddit with RES night mode.
  if (body?.classList.contains('res-nightmode')) return 'dark';
  // JupyterLab: <body data-jp-theme-light="false">.
  const jupyter = body?.getAttribute('data-jp-theme-light');
  if (jupyter === 'true' || jupyter === 'false') return jupyter === 'true' ? 'light' : 'dark';
  // Common conventions: data-theme / data-bs-theme (Bootstrap), html.dark (Tailwind).
  for (const attr of ['data-theme', 'data-bs-theme', 'data-mode']) {
    const declared = word(html.getAttribute(attr) ?? body?.getAttribute(attr));
    if (declared) return declared;
  }
  if (html.classList.contains('dark')) return 'dark';
  // <meta name="color-scheme" content="dark"> (only a single scheme counts as a declaration).
  const meta = doc.querySelector('meta[name="color-scheme"]')?.getAttribute('content')?.trim().toLowerCase();
  if (meta === 'dark' || meta === 'only dark') return 'dark';
  if (meta === 'light' || meta === 'only light') return 'light';
  return null;
}
