#!/usr/bin/env node
// The referral page's script as one file: www/index.js and everything it imports (the
// form, the result view, the engine loader and the wasm package's JS), minified, so a cold
// page makes one request for its code rather than seven (HTTP/1.1 allows six at a time, and
// the .wasm and the rule bundle wait behind them). Measured: first decision 15-45 ms sooner
// (README, "Browser front end"). www/ keeps the readable modules; the other pages use them.
//
//   node scripts/bundle-page.mjs [OUT]      (default www/index.bundle.js; needs pkg/ built)

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

/** Bundle www/index.js into `out`; throws with esbuild's messages when it cannot. */
export async function bundlePage(out = path.join(ROOT, 'www/index.bundle.js')) {
  const pkg = path.join(ROOT, 'pkg/index.js');
  if (!existsSync(pkg)) throw new Error(`${pkg} is missing: build the wasm package first (scripts/build-wasm.sh)`);
  await build({
    entryPoints: [path.join(ROOT, 'www/index.js')],
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
    console.log(`wrote ${path.relative(process.cwd(), await bundlePage(process.argv[2] && path.resolve(process.argv[2])))}`);
  } catch (e) {
    console.error(`bundle-page: ${e.message}`);
    process.exit(1);
  }
}
