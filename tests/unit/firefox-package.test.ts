/**
 * The store packages: `wxt zip -b firefox` (what `npm run zip:firefox` runs) into a temporary
 * folder, then Mozilla's own linter over the built add-on, the manifest's Firefox settings, and
 * the sources package checked against git. Offline: web-ext lint needs no network.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { testHooksIn } from '../../lib/test-hooks';

const ROOT = new URL('../..', import.meta.url).pathname;
const run = promisify(execFile);
let out = '';

/** The file names in a zip archive, read from its central directory (no unzip tool needed). */
function zipEntries(zip: Buffer): string[] {
  let eocd = zip.length - 22;
  while (eocd >= 0 && zip.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error('not a zip archive');
  const count = zip.readUInt16LE(eocd + 10);
  let offset = zip.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(offset) !== 0x02014b50) throw new Error('corrupt central directory');
    const nameLength = zip.readUInt16LE(offset + 28);
    const extra = zip.readUInt16LE(offset + 30);
    const comment = zip.readUInt16LE(offset + 32);
    names.push(zip.toString('utf8', offset + 46, offset + 46 + nameLength));
    offset += 46 + nameLength + extra + comment;
  }
  return names;
}

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'ibkr-firefox-'));
  await run(join(ROOT, 'node_modules/.bin/wxt'), ['zip', '-b', 'firefox'], {
    cwd: ROOT,
    env: { ...process.env, IBKR_OUT_DIR: out, NO_COLOR: '1' },
    maxBuffer: 16 * 1024 * 1024,
  });
}, 240_000);

afterAll(() => {
  if (out) rmSync(out, { recursive: true, force: true });
});

describe('Firefox package', () => {
  it('passes web-ext lint with no errors and no warnings', async () => {
    const { stdout } = await run(
      join(ROOT, 'node_modules/.bin/web-ext'),
      ['lint', '--source-dir', join(out, 'firefox-mv3'), '--output', 'json', '--no-config-discovery'],
      { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 },
    ).catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? '' }));
    const report = JSON.parse(stdout) as { errors: { code: string; message: string }[]; warnings: { code: string; message: string }[] };
    expect(report.errors.map((e) => `${e.code}: ${e.message}`)).toEqual([]);
    expect(report.warnings.map((w) => `${w.code}: ${w.message}`)).toEqual([]);
  }, 120_000);

  it('declares its gecko id, the minimum versions its keys need and that it collects no data', () => {
    const manifest = JSON.parse(readFileSync(join(out, 'firefox-mv3/manifest.json'), 'utf8'));
    expect(manifest.manifest_version).toBe(3);
    expect(manifest.browser_specific_settings.gecko).toEqual({
      id: 'ibkr-error-lookup@inquantwetrust',
      strict_min_version: '140.0',
      data_collection_permissions: { required: ['none'] },
    });
    expect(manifest.browser_specific_settings.gecko_android).toEqual({ strict_min_version: '142.0' });
    expect(manifest.permissions).toEqual(['contextMenus', 'activeTab', 'scripting', 'storage']);
    expect(manifest.optional_host_permissions).toEqual(['https://*/*', 'http://*/*']);
    expect(manifest.host_permissions ?? []).toEqual([]);
    expect(Object.keys(manifest.commands).sort()).toEqual(['_execute_action', 'explain-selection']);
    expect(manifest.options_ui.page).toBe('options.html');
  });

  it('ships no test hook: the store package is a production build (the test build is npm run build:test)', () => {
    const dir = join(out, 'firefox-mv3');
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((name) => /\.(js|html)$/.test(name))
      .map((name) => ({ name, text: readFileSync(join(dir, name), 'utf8') }));
    expect(files.map((f) => f.name)).toContain('background.js');
    expect(testHooksIn(files)).toEqual([]);
  });

  it('writes the add-on zip and a sources zip holding only files git tracks', () => {
    const zips = readdirSync(out).filter((f) => f.endsWith('.zip')).sort();
    expect(zips).toEqual(['ibkr-error-lookup-0.1.0-firefox.zip', 'ibkr-error-lookup-0.1.0-sources.zip']);
    const addon = zipEntries(readFileSync(join(out, zips[0])));
    expect(addon).toContain('manifest.json');
    expect(addon).toContain('content-scripts/content.js');
    const sources = zipEntries(readFileSync(join(out, zips[1]))).filter((name) => !name.endsWith('/'));
    const tracked = new Set(execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean));
    expect(sources.filter((name) => !tracked.has(name))).toEqual([]);
    for (const needed of ['package.json', 'package-lock.json', 'wxt.config.ts', 'README.md', 'entrypoints/content.ts', 'knowledge/entries/ibkr-326.yaml']) {
      expect(sources).toContain(needed);
    }
    expect(sources.some((name) => name.startsWith('node_modules/') || name.startsWith('.output/'))).toBe(false);
  });
});
