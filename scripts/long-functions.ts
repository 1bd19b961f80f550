/**
 * Lists the functions of the source folders by length, longest first, and the import cycles
 * among their modules: `npm run lint:functions` (prints those over 80 lines; `-- --all` every
 * function over 40). Read with the TypeScript compiler API; tests/unit/house.test.ts holds the
 * same limits as a test.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

export const ROOT = resolve(import.meta.dirname, '..');
/** The folders whose functions are held to the limit (tests are not). */
export const SOURCE_DIRS = ['lib', 'entrypoints', 'knowledge', 'scripts'];
/** The hard limit (the aim is about 80 lines): tests/unit/house.test.ts fails above it. */
export const MAX_FUNCTION_LINES = 90;

export interface FunctionLength {
  /** Path from the repository root. */
  file: string;
  /** The function's name, or where it is passed (`defineContentScript main`, `<arrow in load>`). */
  name: string;
  line: number;
  lines: number;
}

/** Every .ts file below `dirs` (relative to the repository root), sorted. */
export function sourceFiles(dirs: readonly string[] = SOURCE_DIRS): string[] {
  return dirs
    .flatMap((dir) => readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' }).map((f) => join(dir, f)))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .sort();
}

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(join(ROOT, file), 'utf8'), ts.ScriptTarget.Latest, true);
}

/** A readable name for a function node: its own, its variable's or property's, or its caller's. */
function nameOf(node: ts.FunctionLikeDeclaration): string {
  if (node.name && !ts.isComputedPropertyName(node.name)) return node.name.getText();
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) return parent.name.getText();
  let outer: ts.Node | undefined = parent;
  while (outer && !ts.isFunctionLike(outer)) outer = outer.parent;
  const within = outer ? nameOf(outer as ts.FunctionLikeDeclaration) : 'module';
  return `<${ts.isArrowFunction(node) ? 'arrow' : 'function'} in ${within}>`;
}

/** The length in lines of every function, method, constructor, accessor and arrow of `files`. */
export function functionLengths(files: readonly string[] = sourceFiles()): FunctionLength[] {
  const found: FunctionLength[] = [];
  for (const file of files) {
    const source = parse(file);
    const visit = (node: ts.Node) => {
      if (ts.isFunctionLike(node) && 'body' in node && node.body) {
        const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
        const last = source.getLineAndCharacterOfPosition(node.getEnd()).line;
        found.push({ file, name: nameOf(node as ts.FunctionLikeDeclaration), line: first + 1, lines: last - first + 1 });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found.sort((a, b) => b.lines - a.lines || a.file.localeCompare(b.file) || a.line - b.line);
}

/** The modules a file imports or re-exports from, as repository paths (relative imports only, `import type` included). */
function importsOf(file: string): string[] {
  const targets: string[] = [];
  for (const statement of parse(file).statements) {
    if (!ts.isImportDeclaration(statement) && !ts.isExportDeclaration(statement)) continue;
    const spec = statement.moduleSpecifier;
    if (!spec || !ts.isStringLiteral(spec) || !spec.text.startsWith('.')) continue;
    targets.push(join(dirname(file), spec.text));
  }
  return targets;
}

/**
 * The import cycles among `files` (each once, starting at its first file in sorted order), by a
 * depth-first walk. Type-only imports count too: they vanish at build time, but a module that
 * needs a type from the one importing it is as tangled as one that needs a value.
 */
export function importCycles(files: readonly string[] = sourceFiles()): string[][] {
  const byModule = new Map(files.map((f) => [f.replace(/\.ts$/, ''), f]));
  const resolveModule = (path: string) => byModule.get(path) ?? byModule.get(join(path, 'index'));
  const edges = new Map(files.map((f) => [f, importsOf(f).map(resolveModule).filter((t): t is string => t !== undefined)]));
  const cycles = new Map<string, string[]>();
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const walk = (file: string) => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of edges.get(file) ?? []) {
      if (state.get(next) === 'open') {
        const cycle = stack.slice(stack.indexOf(next));
        const first = cycle.indexOf([...cycle].sort()[0]);
        const rotated = [...cycle.slice(first), ...cycle.slice(0, first)];
        cycles.set(rotated.join(' → '), rotated);
      } else if (!state.has(next)) walk(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of files) if (!state.has(file)) walk(file);
  return [...cycles.values()];
}

function main(): void {
  const floor = process.argv.includes('--all') ? 40 : 80;
  const long = functionLengths().filter((f) => f.lines > floor);
  for (const f of long) console.log(`${String(f.lines).padStart(4)}  ${f.file}:${f.line}  ${f.name}`);
  console.log(long.length === 0 ? `No function over ${floor} lines.` : `${long.length} function(s) over ${floor} lines.`);
  const cycles = importCycles();
  for (const cycle of cycles) console.log(`cycle: ${[...cycle, cycle[0]].join(' → ')}`);
  console.log(cycles.length === 0 ? 'No import cycle.' : `${cycles.length} import cycle(s).`);
  if (long.some((f) => f.lines > MAX_FUNCTION_LINES) || cycles.length > 0) process.exitCode = 1;
}

if (relative(ROOT, process.argv[1] ?? '') === 'scripts/long-functions.ts') main();
