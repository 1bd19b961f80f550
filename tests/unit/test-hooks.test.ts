import { describe, expect, it } from 'vitest';
import { TEST_BUILD } from '../../lib/test-build';
import { SCAN_STATE_ATTR, TEST_HOOK_STRINGS, testHooksIn } from '../../lib/test-hooks';

describe('test hooks', () => {
  it('are found in a bundle by the strings only they contain', () => {
    const files = [
      { name: 'background.js', text: 'installed({ ibkrRunCommand: n, ibkrTestHooks: true })' },
      { name: 'content-scripts/content.js', text: `document.documentElement.setAttribute("${SCAN_STATE_ATTR}", "idle")` },
      { name: 'popup.html', text: '<input type="search">' },
    ];
    expect(testHooksIn(files)).toEqual(['background.js: ibkrTestHooks', `content-scripts/content.js: ${SCAN_STATE_ATTR}`]);
    expect(TEST_HOOK_STRINGS).toContain(SCAN_STATE_ATTR);
  });

  it('are on in vitest, which runs in mode "test" as the e2e build does', () => {
    expect(TEST_BUILD).toBe(true);
  });
});
