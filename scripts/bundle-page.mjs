#!/usr/bin/env node
// The referral page's script and the partner embed as one file each: www/index.js (and
// www/embed.js) with everything it imports (the form, the result view, the engine loader
// and the wasm package's JS), minified, so a cold page makes one request for its code
// rather than seven (HTTP/1.1 allows six at a time, and the .wasm and the rule bundle wait
// behind them). Measured: the referral page's first decision 15-45 ms sooner, a partner
// page's form ready 36 ms sooner (README, "Browser front end"). www/ keeps the readable
// modules; the playground uses them.
//
//   node scripts/bundle-page.mjs [DIR]   (writes DIR/index.bundle.js and DIR/embed.bundle.js,
//                                         default www/; needs pkg/ built)

import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// www/pkg/ is served from the built package at the root (a link scripts/serve.sh makes, a
// mount in the tests): take it from there, link or not.
const builtPackage = {
  name: 'eligo-pkg',
  setup(build) {
    build.onResolve({ filter: /^\.\/pkg\// }, (args) => ({
      path: path.join(ROOT, 'pkg', args.path.slice('./pkg/'.length)),
    }));
  },
};

/** The pages bundled: entry module in www/ → the bundle's name beside it. */
export const PAGES = { 'index.js': 'index.bundle.js', 'embed.js': 'embed.bundle.js' };

/** Bundle every page in PAGES into `dir`; the bundles' paths, by entry. */
export async function bundlePages(dir = path.join(ROOT, 'www')) {
  const out = {};
  for (const [entry, name] of Object.entries(PAGES)) out[entry] = await bundlePage(path.join(dir, name), entry);
  return out;
}

/** Bundle www/`entry` into `out`; throws with esbuild's messages when it cannot. */
export async function bundlePage(out = path.join(ROOT, 'www/index.bundle.js'), entry = 'index.js') {
  const pkg = path.join(ROOT, 'pkg/index.js');
  if (!existsSync(pkg)) throw new Error(`${pkg} is missing: build the wasm package first (scripts/build-wasm.sh)`);
  await build({
    entryPoints: [path.join(ROOT, 'www', entry)],
    bundle: true,
    format: 'esm',
    minify: true,
    legalComments: 'none',
    sourcemap: 'linked',
    // api.js reads the .wasm file with node:fs only under Node; a browser never gets there.
    external: ['node:*'],
    plugins: [builtPackage],
    outfile: out,
    logLevel: 'warning',
  });
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  try {
    const written = await bundlePages(process.argv[2] ? path.resolve(process.argv[2]) : undefined);
    console.log(`wrote ${Object.values(written).map((f) => path.relative(process.cwd(), f)).join(', ')}`);
  } catch (e) {
    console.error(`bundle-page: ${e.message}`);
    process.exit(1);
  }
}
