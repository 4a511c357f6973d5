#!/usr/bin/env node
// A small static file server for www/: correct MIME types (application/wasm for .wasm, so
// the browser can compile while downloading), symlinks followed, nothing outside the served
// folders, GET and HEAD only. Used by scripts/serve.sh, the browser tests and the bench.
//
//   node scripts/static-server.mjs [--port 8080] [--host 127.0.0.1] ROOT [/prefix/=DIR ...] [/file=FILE ...]
//
// A mount `/pkg/=pkg` serves the folder pkg at /pkg/; `/rules.bundle.json=/tmp/b.json`
// serves one file at one path.

import { createServer } from 'node:http';
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/**
 * Start serving. `mounts` maps URL prefixes ending in `/` to folders, and exact URL paths
 * to files. Resolves to `{ server, url, close() }` once listening; port 0 picks a free one.
 */
export function startServer({ root, mounts = {}, port = 0, host = '127.0.0.1', log = false }) {
  const table = Object.entries(mounts)
    .map(([prefix, target]) => ({ prefix, target: path.resolve(target), dir: prefix.endsWith('/') }))
    .sort((a, b) => b.prefix.length - a.prefix.length);
  const rootDir = path.resolve(root);

  const resolve = (urlPath) => {
    for (const m of table) {
      if (m.dir && urlPath.startsWith(m.prefix)) return inside(m.target, urlPath.slice(m.prefix.length));
      if (!m.dir && urlPath === m.prefix) return m.target;
    }
    return inside(rootDir, urlPath.slice(1));
  };

  const server = createServer(async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    let urlPath;
    try {
      urlPath = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      res.writeHead(400).end('bad request');
      return;
    }
    let file = resolve(urlPath);
    try {
      if (!file) throw Object.assign(new Error('outside'), { code: 'ENOENT' });
      let st = await fs.stat(file);
      if (st.isDirectory()) {
        if (!urlPath.endsWith('/')) {
          res.writeHead(301, { Location: `${urlPath}/` }).end();
          return;
        }
        file = path.join(file, 'index.html');
        st = await fs.stat(file);
      }
      // Revalidated caching, as a real static host does: the browser keeps files (and its
      // compiled wasm) and asks each time whether they changed.
      const etag = `"${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}"`;
      const common = { ETag: etag, 'Last-Modified': st.mtime.toUTCString(), 'Cache-Control': 'no-cache' };
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, common).end();
        return;
      }
      res.writeHead(200, {
        ...common,
        'Content-Type': TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream',
        'Content-Length': st.size,
        'X-Content-Type-Options': 'nosniff',
      });
      if (req.method === 'HEAD') res.end();
      else createReadStream(file).pipe(res);
      if (log) console.log(`200 ${urlPath}`);
    } catch (e) {
      const code = e.code === 'ENOENT' || e.code === 'ENOTDIR' ? 404 : 500;
      res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8' }).end(code === 404 ? 'not found' : 'server error');
      if (log) console.log(`${code} ${urlPath}`);
    }
  });

  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      const { port: p } = server.address();
      ok({ server, url: `http://${host === '0.0.0.0' ? 'localhost' : host}:${p}/`, close: () => new Promise((c) => server.close(c)) });
    });
  });
}

/** `rel` inside `dir`, or null when it would climb out. */
function inside(dir, rel) {
  const full = path.resolve(dir, `.${path.sep}${rel}`);
  return full === dir || full.startsWith(dir + path.sep) ? full : null;
}

async function main(argv) {
  let port = 8080;
  let host = '127.0.0.1';
  let root = null;
  const mounts = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--port') port = Number(argv[++i]);
    else if (a === '--host') host = argv[++i];
    else if (a.includes('=')) {
      const [prefix, target] = a.split('=');
      mounts[prefix] = target;
    } else root = a;
  }
  if (!root || !Number.isInteger(port)) {
    console.error('usage: static-server.mjs [--port N] [--host H] ROOT [/prefix/=DIR | /path=FILE ...]');
    process.exit(2);
  }
  const { url } = await startServer({ root, mounts, port, host, log: Boolean(process.env.ELIGO_SERVER_LOG) });
  console.log(`Serving ${root} on ${url}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main(process.argv.slice(2)).catch((e) => {
    console.error(`static-server: ${e.message}`);
    process.exit(1);
  });
}
