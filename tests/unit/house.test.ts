/**
 * Keeping the house: no function over 90 lines in the source folders (the aim is about 80;
 * `npm run lint:functions` lists the longest) and no import cycle among their modules.
 */
import { describe, expect, it } from 'vitest';
import { functionLengths, importCycles, MAX_FUNCTION_LINES as MAX_LINES, sourceFiles } from '../../scripts/long-functions';

describe('function lengths', () => {
  const lengths = functionLengths();

  it('finds functions of every kind in the source folders', () => {
    const names = new Set(lengths.map((f) => `${f.file} ${f.name}`));
    // A declaration, a method, an arrow in a variable, WXT's main passed in an object.
    expect(names).toContain('lib/site-patterns.ts toMatchPattern');
    expect(names).toContain('lib/annotate/dom-info.ts info');
    expect(names).toContain('lib/quote.ts quoted');
    expect(names).toContain('entrypoints/content.ts main');
    expect(lengths.find((f) => f.file === 'lib/site-patterns.ts' && f.name === 'toMatchPattern')!.lines).toBeGreaterThan(30);
  });

  it(`has no function over ${MAX_LINES} lines in lib/, entrypoints/, knowledge/ or scripts/`, () => {
    const long = lengths.filter((f) => f.lines > MAX_LINES).map((f) => `${f.file}:${f.line} ${f.name} (${f.lines} lines)`);
    expect(long).toEqual([]);
  });
});

describe('import cycles', () => {
  it('finds a planted cycle, type-only imports included', () => {
    expect(importCycles(['tests/fixtures/import-cycle/a.ts', 'tests/fixtures/import-cycle/b.ts'])).toEqual([
      ['tests/fixtures/import-cycle/a.ts', 'tests/fixtures/import-cycle/b.ts'],
    ]);
  });

  it('has none in lib/, entrypoints/, knowledge/ or scripts/', () => {
    expect(importCycles(sourceFiles())).toEqual([]);
  });
});
