// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { canChangeTone, pageTone, toneOfColor, watchPageTone } from '../../lib/page-tone';

describe('toneOfColor', () => {
  it('reads computed rgb() and rgba() backgrounds by their luminance', () => {
    expect(toneOfColor('rgb(13, 17, 23)')).toBe('dark');
    expect(toneOfColor('rgb(255, 255, 255)')).toBe('light');
    // Either side of the grey where black and white text contrast alike.
    expect(toneOfColor('rgb(119, 119, 119)')).toBe('light');
    expect(toneOfColor('rgb(110, 110, 110)')).toBe('dark');
    expect(toneOfColor('rgba(30, 30, 30, 0.9)')).toBe('dark');
  });

  it('says nothing of a transparent background or a form it does not read', () => {
    expect(toneOfColor('rgba(0, 0, 0, 0)')).toBeNull();
    expect(toneOfColor('rgba(0, 0, 0, 0.2)')).toBeNull();
    expect(toneOfColor('oklch(0.2 0 0)')).toBeNull();
  });
});

describe('pageTone', () => {
  it('is the theme the site declares, else the body background, else light', () => {
    document.documentElement.removeAttribute('data-theme');
    document.body.removeAttribute('style');
    expect(pageTone(document)).toBe('light');
    document.body.style.backgroundColor = 'rgb(20, 20, 20)';
    expect(pageTone(document)).toBe('dark');
    document.documentElement.setAttribute('data-theme', 'light');
    expect(pageTone(document)).toBe('light');
    document.documentElement.removeAttribute('data-theme');
    document.body.removeAttribute('style');
  });
});

describe('pageTone under a page-wide wrapper', () => {
  /** A single-page app's shell: <body> and <html> paint nothing, `wrapper` paints the page. */
  function shell(wrapperStyle: string, inner = '<main><p id="text">ERROR 504 Not connected</p></main>'): Node {
    document.body.innerHTML = `<div id="root"><div class="app" style="${wrapperStyle}">${inner}</div></div>`;
    return document.querySelector('#text')!.firstChild!;
  }

  it('reads the ground under the marks where body and html paint nothing: a dark wrapper is dark', () => {
    const near = shell('background-color: rgb(13, 17, 23)');
    expect(pageTone(document, near)).toBe('dark');
    // Without the marks' place, only body, html and the canvas count.
    expect(pageTone(document)).toBe('light');
  });

  it('a light wrapper, or none, is light', () => {
    expect(pageTone(document, shell('background-color: rgb(250, 250, 250)'))).toBe('light');
    expect(pageTone(document, shell(''))).toBe('light');
  });

  it('a dark code block on a page that paints nothing is the block’s, not the page’s', () => {
    const near = shell('', '<pre style="background-color: rgb(30, 30, 30)"><span id="text">ERROR 504 Not connected</span></pre>');
    expect(pageTone(document, near)).toBe('light');
  });

  it('keeps the declared theme and the body’s background first', () => {
    const near = shell('background-color: rgb(13, 17, 23)');
    document.documentElement.setAttribute('data-theme', 'light');
    expect(pageTone(document, near)).toBe('light');
    document.documentElement.removeAttribute('data-theme');
    document.body.style.backgroundColor = 'rgb(255, 255, 255)';
    expect(pageTone(document, near)).toBe('light');
    document.body.removeAttribute('style');
    document.body.innerHTML = '';
  });
});

describe('watchPageTone', () => {
  // A frame, then the tasks queued right after it (where the watcher reads).
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(() => setTimeout(resolve, 0), 0)));

  it('reads nothing when a page toggles an attribute that changes no tone, 1,000 times', async () => {
    let reads = 0;
    const stop = watchPageTone(document, () => reads++);
    for (let i = 0; i < 1000; i++) {
      document.body.toggleAttribute('aria-busy');
      document.documentElement.setAttribute('data-scroll', String(i));
      await Promise.resolve();
    }
    await frame();
    // Longer than any debounce a watcher might use.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(reads).toBe(0);
    stop();
    document.documentElement.removeAttribute('data-scroll');
    document.body.removeAttribute('aria-busy');
  });

  it('reads once a frame when a theme attribute or class changes, however often', async () => {
    let reads = 0;
    const stop = watchPageTone(document, () => reads++);
    for (let i = 0; i < 50; i++) {
      document.body.classList.toggle('night');
      await Promise.resolve();
    }
    await frame();
    expect(reads).toBe(1);
    document.documentElement.setAttribute('data-color-mode', 'dark');
    await frame();
    expect(reads).toBe(2);
    stop();
    document.documentElement.removeAttribute('data-color-mode');
    document.body.className = '';
  });

  it('follows the wrappers under <body> whose ground was read: a theme class or theme attribute there is read, once a frame', async () => {
    document.body.innerHTML = '<div id="app" data-jp-theme-light="true"><div class="shell"><main><p id="text">ERROR 504 Not connected</p></main></div></div>';
    const near = document.querySelector('#text')!.firstChild!;
    const app = document.querySelector('#app')!;
    let reads = 0;
    const stop = watchPageTone(document, () => reads++, near);
    for (let i = 0; i < 20; i++) {
      app.classList.toggle('theme-dark');
      await Promise.resolve();
    }
    await frame();
    expect(reads).toBe(1);
    // A theme attribute the wrapper had when watched (JupyterLab's), and Tailwind's class on an inner wrapper.
    app.setAttribute('data-jp-theme-light', 'false');
    await frame();
    expect(reads).toBe(2);
    document.querySelector('main')!.classList.add('dark');
    await frame();
    expect(reads).toBe(3);
    stop();
    document.body.innerHTML = '';
  });

  it('reads nothing for a wrapper’s other attributes, for elements off the ground’s chain, or once stopped', async () => {
    document.body.innerHTML = '<div id="app"><main><p id="text">ERROR 504 Not connected</p></main><aside id="side"></aside></div>';
    const near = document.querySelector('#text')!.firstChild!;
    const app = document.querySelector('#app')!;
    let reads = 0;
    const stop = watchPageTone(document, () => reads++, near);
    for (let i = 0; i < 1000; i++) {
      app.toggleAttribute('aria-busy');
      app.setAttribute('data-scroll', String(i));
      document.querySelector('#side')!.classList.toggle('dark');
      await Promise.resolve();
    }
    await frame();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(reads).toBe(0);
    stop();
    app.classList.add('theme-dark');
    await frame();
    expect(reads).toBe(0);
    // Without the marks' place, only <html> and <body> are followed.
    const unplaced = watchPageTone(document, () => reads++);
    app.classList.remove('theme-dark');
    await frame();
    expect(reads).toBe(0);
    unplaced();
    document.body.innerHTML = '';
  });

  it('tells the attributes that can change a tone from the rest', () => {
    for (const name of ['class', 'style', 'data-theme', 'data-bs-theme', 'data-color-mode', 'data-jp-theme-light', 'color-scheme', 'data-dark'])
      expect(canChangeTone(name), name).toBe(true);
    for (const name of ['aria-busy', 'data-scroll', 'lang', 'data-ibkr-test-scan', 'data-ibkr-theme', 'hidden', null]) expect(canChangeTone(name), String(name)).toBe(false);
  });
});
