/**
 * localhost: Jupyter (JupyterLab, Notebook 7, the classic Notebook) and the Client Portal Gateway
 * (its login page and its endpoints' JSON on https://localhost:5000). A gateway page is Client
 * Portal context by its address: `https://localhost:5000` is one of the Client Portal signs of
 * lib/cpapi-shapes.ts, and the page's URL is read with its title (lib/annotate/page-context.ts).
 */
import type { SiteModule } from './site-module';

export const localhost = {
  id: 'localhost',
  label: 'localhost (Jupyter, local notebooks, the Client Portal Gateway)',
  // Any port: Chrome ignores the port in a match pattern without one. https: the Client Portal
  // Gateway serves its login page and its endpoints' JSON on https://localhost:5000.
  matches: ['http://localhost/*', 'http://127.0.0.1/*', 'https://localhost/*', 'https://127.0.0.1/*'],
  // A notebook cell's input is a code editor: read for context (it is in the cell's post), never marked.
  skip: ['.jp-InputArea-editor', '.input_area'],
  // A notebook cell, with its input and its outputs: JupyterLab and Notebook 7, then the classic Notebook.
  posts: ['.jp-Cell', '.code_cell'],
  notebooks: ['.jp-Notebook', '#notebook-container'],
  theme(doc) {
    // JupyterLab: <body data-jp-theme-light="false">.
    const light = doc.body?.getAttribute('data-jp-theme-light');
    if (light === 'true' || light === 'false') return light === 'true' ? 'light' : 'dark';
    return undefined;
  },
} as const satisfies SiteModule;

export const testUrls = [
  'http://localhost:8888/lab',
  'http://localhost:8888/tree',
  'http://127.0.0.1:8888/notebooks/Untitled.ipynb',
  'https://localhost:5000/',
  'https://localhost:5000/sso/Login?forwardTo=22&RL=1&ip2loc=on',
  'https://localhost:5000/v1/api/iserver/auth/status',
  'https://127.0.0.1:5000/v1/api/iserver/auth/status',
];
