import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';

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
