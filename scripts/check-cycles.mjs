// Import cycles: every TypeScript file under packages/*/src and apps/*/src, read by dpdm. Type-only
// imports are left out (dpdm's `transform` compiles each file first, and the compiler drops them):
// they are erased from the JavaScript, so they cannot make a cycle when the modules load. Dynamic
// `import()`s count like static ones (dpdm's default): a lazy edge back into a package's own entry
// is a cycle in its structure all the same. Imports of another package end the walk there (its
// dist/ is not read): a cycle between packages would be one between their package.json
// dependencies. Exits 1 on a cycle, or on a relative import dpdm could not resolve (an edge it
// cannot see could hide a cycle).
import { parseCircular, parseDependencyTree } from 'dpdm';

const root = new URL('..', import.meta.url).pathname;
const globs = ['packages/*/src/**/*.{ts,tsx}', 'apps/*/src/**/*.{ts,tsx}'];
// Keys and ids come back relative to `context`.
const tree = await parseDependencyTree(globs, {
  cwd: root,
  context: root,
  transform: true,
  // Only the sources are walked; anything else a file imports is a leaf.
  include: /\/(packages|apps)\/[^/]+\/src\//,
  exclude: /\/node_modules\//,
});

const files = Object.keys(tree).filter((id) => tree[id] !== null);
const unresolved = [];
for (const id of files) {
  for (const dep of tree[id]) {
    if (dep.id === null && dep.request.startsWith('.')) {
      unresolved.push(`${id}: ${dep.request}`);
    }
  }
}
const cycles = parseCircular(tree);

console.log(
  `import cycles: ${files.length} files under ${globs.join(' and ')} (type-only imports left out)`,
);
for (const line of unresolved) console.log(`  unresolved relative import: ${line}`);
for (const [i, cycle] of cycles.entries()) {
  console.log(`  cycle ${i + 1}: ${[...cycle, cycle[0]].join(' → ')}`);
}
if (cycles.length > 0 || unresolved.length > 0) {
  console.log(
    `${cycles.length} import cycle(s), ${unresolved.length} unresolved relative import(s)`,
  );
  process.exit(1);
}
console.log('no import cycles');
