// The sandbox stands apart from the bridge (issue 12, item 4): src/sandbox imports nothing of the
// bridge but its leaves src/crypto and src/pdf (which import nothing of the bridge), no file of the bridge imports src/sandbox (the host reaches it only by the
// dynamic import in src/sandbox-host.ts), and the entry's exports are what the host expects.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { PACKAGE_ROOT } from '../../src/package-files.ts';
import type { SandboxEntry } from '../../src/sandbox-host.ts';
import * as entry from '../../src/sandbox/index.ts';

const SRC = join(PACKAGE_ROOT, 'src');
const SANDBOX = join(SRC, 'sandbox');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : /\.(ts|tsx|js|mjs)$/.test(name) ? [path] : [];
  });
}

/** Every module a file imports or re-exports, statically or by a literal dynamic import, resolved to a path when relative. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:^|[\s;])(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;])import\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm)].map(
    (match) => match[1] ?? match[2] ?? match[3],
  );
  return specifiers.map((specifier) => (specifier.startsWith('.') ? resolve(dirname(file), specifier) : specifier));
}

const inside = (path: string, dir: string) => path === dir || path.startsWith(dir + sep);
const shown = (path: string) => (path.startsWith(PACKAGE_ROOT) ? relative(PACKAGE_ROOT, path) : path);

it('src/sandbox imports nothing of the bridge but src/crypto and src/pdf, which import nothing of the bridge', () => {
  const crossings: string[] = [];
  for (const file of sourceFiles(SANDBOX)) {
    for (const target of importsOf(file)) {
      if (!target.startsWith('/')) continue; // a package
      if (inside(target, SANDBOX) || inside(target, join(SRC, 'crypto')) || inside(target, join(SRC, 'pdf'))) continue;
      crossings.push(`${shown(file)} → ${shown(target)}`);
    }
  }
  for (const leaf of ['crypto', 'pdf']) {
    for (const file of sourceFiles(join(SRC, leaf))) {
      // package-files.ts: where the package's own files are (the Streebog WebAssembly), nothing of the bridge.
      for (const target of importsOf(file)) if (target.startsWith('/') && !inside(target, join(SRC, leaf)) && target !== join(SRC, 'package-files.ts')) crossings.push(`${shown(file)} → ${shown(target)}`);
    }
  }
  assert.deepEqual(crossings, []);
  // The check finds imports at all (a broken pattern would pass anything).
  assert.ok(importsOf(join(SANDBOX, 'ca.ts')).some((target) => inside(target, join(SRC, 'crypto'))));
});

it('no file of the bridge imports src/sandbox; src/domain, src/services and src/kontur do not even name it in an import', () => {
  const crossings: string[] = [];
  for (const file of sourceFiles(SRC).filter((path) => !inside(path, SANDBOX))) {
    for (const target of importsOf(file)) {
      if (target.startsWith('/') && inside(target, SANDBOX)) crossings.push(`${shown(file)} → ${shown(target)}`);
    }
  }
  assert.deepEqual(crossings, []);
  for (const layer of ['domain', 'services', 'kontur']) {
    for (const file of sourceFiles(join(SRC, layer))) {
      assert.doesNotMatch(readFileSync(file, 'utf8'), /from\s+['"][^'"]*\/sandbox\/|import\(\s*['"][^'"]*\/sandbox\//, shown(file));
    }
  }
  // The tests of the bridge (everything outside test/sandbox) do not import it either.
  const tests = join(PACKAGE_ROOT, 'test');
  const testCrossings = sourceFiles(tests)
    .filter((path) => !inside(path, join(tests, 'sandbox')))
    .flatMap((file) => importsOf(file).filter((target) => target.startsWith('/') && inside(target, SANDBOX)).map((target) => `${shown(file)} → ${shown(target)}`));
  assert.deepEqual(testCrossings, []);
});

it('the entry exports what the host calls', () => {
  // Type-checked: the module's exports are assignable to the host's SandboxEntry.
  const checked: SandboxEntry = entry;
  assert.equal(typeof checked.mountSandbox, 'function');
});
