/**
 * The project's import graph as the layering test reads it: every relative import, re-export,
 * `require` and dynamic `import()` of every source file, resolved to a file. Type-only imports
 * count too: a wing that needs another's types depends on it just the same.
 *
 * Pure functions over a `{ file: imports[] }` map, so the rules can be tested on a planted
 * graph as well as on the real tree.
 */
import * as fs from 'fs';
import * as path from 'path';

/** file (relative to the root, `/`-separated) → the files it imports. */
export type ImportGraph = Map<string, string[]>;

/** The folders whose files must meet only in src/shared. */
export const WINGS = ['src/engine', 'src/extension', 'webview'] as const;
export const SHARED = 'src/shared';

const SOURCE = /\.(ts|mts|js|mjs)$/;
const IMPORT = /(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,$]*?\s*from\s*)?['"]([^'"\n]+)['"]|(?:\bimport|\brequire)\(\s*['"]([^'"\n]+)['"]\s*\)/g;

export function sourceFiles(root: string, dir: string): string[] {
  const full = path.join(root, dir);
  if (!fs.existsSync(full)) return [];
  return fs.readdirSync(full, { withFileTypes: true }).flatMap(entry => {
    const relative = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(root, relative);
    return SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts') ? [relative] : [];
  });
}

/** The import specifiers written in `text` (comments are not stripped: keep import-like text out of them). */
export function importSpecifiers(text: string): string[] {
  return [...text.matchAll(IMPORT)].map(match => match[1] ?? match[2]);
}

/** Resolves a relative specifier to a file of `known`, or undefined for a package import. */
export function resolveImport(from: string, specifier: string, known: ReadonlySet<string>): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  const stem = base.replace(/\.(js|mjs)$/, '');
  for (const candidate of [base, `${base}.ts`, `${stem}.ts`, `${base}.mts`, `${base}.mjs`, `${base}.js`, `${base}/index.ts`]) {
    if (known.has(candidate)) return candidate;
  }
  return undefined;
}

/** The import graph of every source file under `folders` (imports of files outside them are kept if they resolve). */
export function buildImportGraph(root: string, folders: readonly string[]): ImportGraph {
  const files = folders.flatMap(folder => sourceFiles(root, folder));
  const known = new Set(files);
  const graph: ImportGraph = new Map();
  for (const file of files) {
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    const targets = importSpecifiers(text).flatMap(specifier => {
      const target = resolveImport(file, specifier, known);
      return target ? [target] : [];
    });
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

export function wingOf(file: string): string | undefined {
  return [...WINGS, SHARED].find(folder => file.startsWith(`${folder}/`));
}

/** Imports from one wing into another (only src/shared may be shared); scripts and tests are not wings. */
export function wingCrossings(graph: ImportGraph): string[] {
  const crossings: string[] = [];
  for (const [file, targets] of graph) {
    const from = wingOf(file);
    if (!from) continue;
    for (const target of targets) {
      const to = wingOf(target);
      const allowed = to === from || to === SHARED;
      // src/shared is imported by all wings, so it imports nothing but itself.
      if (!allowed || (from === SHARED && to !== SHARED)) crossings.push(`${file} → ${target}`);
    }
  }
  return crossings;
}

/**
 * Every import cycle, each as the files along it (first file repeated at the end), found as
 * the strongly connected components of the graph (Tarjan) with more than one file or a
 * self-import.
 */
export function importCycles(graph: ImportGraph): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, counter);
    low.set(file, counter);
    counter++;
    stack.push(file);
    onStack.add(file);
    for (const target of graph.get(file) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(file, Math.min(low.get(file)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(file, Math.min(low.get(file)!, index.get(target)!));
      }
    }
    if (low.get(file) === index.get(file)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== file);
      if (component.length > 1 || (graph.get(file) ?? []).includes(file)) components.push(component);
    }
  };
  for (const file of [...graph.keys()].sort()) if (!index.has(file)) visit(file);
  return components.map(component => cyclePath(graph, new Set(component), component.sort()[0]));
}

/** One concrete cycle through `start` inside a strongly connected component (breadth-first, shortest). */
function cyclePath(graph: ImportGraph, members: ReadonlySet<string>, start: string): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length) {
    const file = queue.shift()!;
    for (const target of graph.get(file) ?? []) {
      if (!members.has(target)) continue;
      if (target === start) {
        const chain = [file];
        for (let at = file; at !== start; ) {
          at = previous.get(at)!;
          chain.unshift(at);
        }
        return [...chain, start];
      }
      if (!previous.has(target) && target !== start) {
        previous.set(target, file);
        queue.push(target);
      }
    }
  }
  return [start, start];
}

/** Files under `folders` that import the `vscode` module. */
export function vscodeImports(root: string, folders: readonly string[]): string[] {
  return folders.flatMap(folder => sourceFiles(root, folder)).filter(file => importSpecifiers(fs.readFileSync(path.join(root, file), 'utf8')).includes('vscode'));
}
