// Loads the Eligo WebAssembly engine and a rule bundle, once per page and bundle URL.
//
// Everything after this (describe, evaluate, runTests) runs inside the page: the only
// requests Eligo ever makes are for its own module, its .wasm file and the rule bundle.
// The referral page and the partner embed import the runtime package themselves (so each
// is bundled into one script with it) and hand it in with its .wasm (`pkg`, `wasmUrl`);
// without them the package is looked for beside this file, in ./pkg/. Forms use the
// runtime module (index.js: bundles only, the smaller download); the playground, which
// edits TOML rule files, the authoring module (`pkgUrl: AUTHORING_PKG`).

const DEFAULT_PKG = new URL('./pkg/index.js', import.meta.url).href;
export const AUTHORING_PKG = new URL('./pkg/authoring.js', import.meta.url).href;

let modules = new Map();
let engines = new Map();

/**
 * Import the package (a URL, or a package's module namespace a page imported itself) and
 * run its wasm start-up once, from `wasmUrl` when given, whatever shape the wrapper exports.
 */
export function loadModule(pkg = DEFAULT_PKG, wasmUrl = undefined) {
  if (!modules.has(pkg)) {
    modules.set(pkg, (async () => {
      const mod = typeof pkg === 'string' ? await import(pkg) : pkg;
      // The wrapper may start the wasm itself, or export an initialiser (`init`, or
      // wasm-bindgen's default export); either way it must have run before `new Engine()`.
      const start = mod.init || mod.ready || mod.default;
      if (typeof start === 'function' && start !== mod.Engine) await start(wasmUrl);
      else if (start && typeof start.then === 'function') await start;
      if (typeof mod.Engine !== 'function') throw new Error(`${typeof pkg === 'string' ? pkg : 'the package'} does not export Engine`);
      return mod;
    })());
  }
  return modules.get(pkg);
}

/**
 * An engine for the bundle at `bundleUrl`. Resolves to `{ engine, bundle, ensure(id),
 * ensureAll() }`: `bundle` is the parsed bundle (the playground reads rule files from it).
 * Rule sets are loaded (parsed, checked against their hash, compiled) all at once, or with
 * `lazy: true` only when `ensure(id)` asks, so a page showing one form pays for one rule set.
 * Cached per bundle URL unless `fresh` is set. `pkg` is the package already imported
 * (the referral page's, so that its one bundled script holds the package too), with
 * `wasmUrl` its .wasm file; otherwise the package at `pkgUrl` is imported.
 */
export function openEngine(bundleUrl, { pkgUrl = DEFAULT_PKG, pkg = null, wasmUrl = undefined, fresh = false, lazy = false, publicKey = null } = {}) {
  const key = `${pkg ? 'page' : pkgUrl} ${new URL(bundleUrl, document.baseURI).href} ${publicKey || ''}`;
  let opening = fresh ? null : engines.get(key);
  if (!opening) {
    opening = (async () => {
      // Fetch the bundle while the wasm compiles.
      const [mod, text] = await Promise.all([
        loadModule(pkg || pkgUrl, wasmUrl).then((m) => {
          performance.mark('eligo:wasm-ready');
          return m;
        }),
        fetchText(bundleUrl),
      ]);
      const h = handle(wrap(new mod.Engine()), JSON.parse(text), mod);
      // A publisher's key checks the signature over the whole bundle, so it loads whole:
      // nothing loads unless that key signed it and nothing changed since.
      if (publicKey) h.loadSigned(text, publicKey);
      return h;
    })();
    if (!fresh) {
      engines.set(key, opening);
      opening.catch(() => engines.delete(key));
    }
  }
  return lazy ? opening : opening.then((h) => {
    h.ensureAll();
    return h;
  });
}

function handle(engine, bundle, module) {
  const loaded = new Set();
  const ensure = (id) => {
    if (loaded.has(id)) return;
    // Every version of it, loaded together (the engine chooses among them by date).
    const entries = (bundle.rulesets || []).filter((r) => r.id === id);
    if (!entries.length) {
      const known = [...new Set((bundle.rulesets || []).map((r) => r.id))].join(', ');
      throw Object.assign(new Error(`no rule set "${id}" in the bundle (it has: ${known})`), { code: 'unknown_ruleset', issues: [] });
    }
    // Part of a bundle is a bundle too: each entry's hash is still checked.
    engine.load({ format: bundle.format, rulesets: entries });
    loaded.add(id);
    performance.mark('eligo:rules-loaded');
  };
  return {
    engine,
    bundle,
    module,
    ensure,
    loadSigned(text, publicKey) {
      for (const id of engine.load(text, publicKey)) loaded.add(id);
      performance.mark('eligo:rules-loaded');
    },
    ensureAll() {
      for (const r of bundle.rulesets || []) ensure(r.id);
    },
  };
}

async function fetchText(url) {
  const res = await fetch(url, { credentials: 'same-origin' });
  if (!res.ok) throw new Error(`could not load the rules from ${url}: ${res.status} ${res.statusText}`);
  return res.text();
}

/**
 * The API the pages use, whichever way the package returns things: JSON text or objects.
 * `load`, `rulesets`, `describe`, `evaluate(id, input, {asOf, trace})` and `runTests` (the
 * authoring module's: the playground's).
 */
function wrap(raw) {
  const obj = (v) => (typeof v === 'string' ? JSON.parse(v) : v);
  return {
    raw,
    load: (bundleOrFiles, publicKey) => obj(publicKey ? raw.load(bundleOrFiles, publicKey) : raw.load(bundleOrFiles)),
    rulesets: () => obj(raw.rulesets()),
    describe: (id, options) => obj(raw.describe(id, options)),
    evaluate: (id, input, options = {}) => obj(raw.evaluate(id, input, options)),
    runTests: (id) => obj(raw.runTests(id)),
    remove: (id) => (typeof raw.remove === 'function' ? raw.remove(id) : false),
    get version() { return raw.version; },
  };
}

/**
 * Any thrown thing as `{code, message, issues, location}`. Engine errors carry these
 * already; anything else (a bug, a failed fetch) becomes `code: "internal"`.
 */
export function toProblem(err) {
  if (err && typeof err === 'object' && typeof err.code === 'string') {
    return {
      code: err.code,
      message: String(err.message || err.code),
      issues: Array.isArray(err.issues) ? err.issues : [],
      location: err.location || null,
    };
  }
  if (err && typeof err.message === 'string' && err.message.startsWith('{"error"')) {
    try {
      return toProblem(JSON.parse(err.message).error);
    } catch { /* fall through */ }
  }
  return { code: 'internal', message: String((err && err.message) || err), issues: [], location: null };
}
