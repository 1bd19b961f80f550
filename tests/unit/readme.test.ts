import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

describe('README set-up commands', () => {
  const readme = read('README.md');
  const blocks = [...readme.matchAll(/\*\*(\d)\. [^*]+\*\*\s+```sh\n([^\n]+)\n```/g)].map((m) => m[2]);

  it('gives exactly two numbered set-up commands', () => {
    expect(blocks).toHaveLength(2);
  });

  const ciCommands = read('.ci/run')
    .split('\n')
    .map((l) => l.trim().replace(/\s*<\/dev\/null$/, ''))
    .filter((l) => l && !l.startsWith('#') && !l.startsWith('echo'));

  it('CI sets up with the exact set-up command from the README', () => {
    expect(ciCommands).toContain(blocks[0]);
  });

  it('CI runs the exact test command from the README', () => {
    expect(ciCommands[ciCommands.length - 1]).toBe(blocks[1]);
  });

  it('shows screenshots that exist', () => {
    for (const [, path] of readme.matchAll(/!\[[^\]]*\]\(([^)]+\.png)\)/g)) {
      expect(() => read(path), path).not.toThrow();
    }
  });
});

describe('README for people first', () => {
  const readme = read('README.md');
  const oneLine = (text: string) => text.replace(/\s+/g, ' ');

  it('stays short: how it works inside lives in docs/', () => {
    expect(readme.split('\n').length).toBeLessThanOrEqual(250);
  });

  it('carries the educational boundary and the trademark notice word for word', () => {
    const notices = parse(read('knowledge/notices.yaml')) as { boundary: { text: string }; trademark: string };
    expect(oneLine(readme)).toContain(oneLine(notices.boundary.text));
    expect(oneLine(readme)).toContain(oneLine(notices.trademark));
  });

  it('names the keys the manifest suggests for both commands', () => {
    const keys = [...read('wxt.config.ts').matchAll(/suggested_key: \{ default: '([^']+)' \}/g)].map((m) => m[1]);
    expect(keys).toHaveLength(2);
    for (const key of keys) expect(readme, key).toContain(key.split('+').map((k) => `<kbd>${k}</kbd>`).join('+'));
  });
});
