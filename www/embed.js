// <eligo-form>: the referral form for partner sites, as a custom element.
//
//   <script type="module" src="https://rules.example.org/eligo/embed.bundle.js"></script>
//   <eligo-form ruleset="victim-referral" bundle="https://rules.example.org/eligo/rules.bundle.json"></eligo-form>
//
// Attributes: `ruleset` (a rule set id in the bundle), `bundle` (the bundle's URL, relative
// to the page; default rules.bundle.json beside this file), `heading-level` (of the form's
// title, default 2), `no-title` (leave the title and description to the page), `layout`
// ("stacked" puts the result under the form), `public-key` (the publisher's ed25519 public
// key, as the .pub file's text or its 64 hex digits: the form then loads only a bundle that
// key signed, unchanged). The engine (./pkg/) and styles (eligo.css)
// come from beside this file. Partners load embed.bundle.js (this file and its imports,
// the package's JS included, as one script: scripts/bundle-page.mjs); this module works
// unbundled too. The form renders in a shadow root, so the page's CSS cannot
// break it; set --eligo-brand and --eligo-font on the element to match the page.
//
// Events (bubbling from the element): `eligo-ready` once the form is on screen, and
// `eligo-decision` after every evaluation with `detail = {ruleset, decision, problem}`.
// Properties: `form.decision` (the last decision or null), `form.input` (the answers).
// Several forms on one page share one engine per bundle. Nothing typed leaves the page.

import * as runtime from './pkg/index.js';
import { openEngine, toProblem } from './engine.js';
import { createForm } from './form.js';

const STYLES = new URL('./eligo.css', import.meta.url).href;
const DEFAULT_BUNDLE = new URL('./rules.bundle.json', import.meta.url).href;
// The package is imported above, so that bundled it is part of the one script; its .wasm
// file is named from here, as index.js does.
const WASM = new URL('./pkg/eligo_wasm_bg.wasm', import.meta.url);
let instances = 0;

export class EligoFormElement extends HTMLElement {
  static get observedAttributes() {
    return ['ruleset', 'bundle', 'heading-level', 'no-title', 'public-key'];
  }

  constructor() {
    super();
    this.attachShadow({ mode: 'open' });
    this.idPrefix = `eligo${++instances}-`;
    this.generation = 0;
    this.controller = null;
    this.decision = null;
    this.addEventListener('eligo-decision', (e) => {
      this.decision = e.detail.decision;
    });
  }

  connectedCallback() {
    this.render();
  }

  attributeChangedCallback(_name, before, after) {
    if (before !== after && this.isConnected) this.render();
  }

  get input() {
    return this.controller ? this.controller.input() : {};
  }

  async render() {
    const generation = ++this.generation;
    // The form being replaced: its answers and decision are not this form's.
    if (this.controller) this.controller.destroy();
    this.controller = null;
    this.decision = null;
    delete this.dataset.ready;
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = STYLES;
    const host = document.createElement('div');
    host.className = 'eligo';
    host.append(Object.assign(document.createElement('p'), { className: 'eligo-loading', textContent: 'Loading the form…' }));
    this.shadowRoot.replaceChildren(link, host);
    const id = this.getAttribute('ruleset');
    const bundle = this.getAttribute('bundle') ? new URL(this.getAttribute('bundle'), document.baseURI).href : DEFAULT_BUNDLE;
    try {
      if (!id) throw new Error('<eligo-form> needs a ruleset attribute, e.g. ruleset="victim-referral"');
      const rules = await openEngine(bundle, { lazy: true, publicKey: this.getAttribute('public-key'), pkg: runtime, wasmUrl: WASM });
      if (generation !== this.generation) return; // attributes changed while loading
      rules.ensure(id); // only the rule set this form needs
      const { engine } = rules;
      this.controller = createForm(host, engine, id, {
        prefix: this.idPrefix,
        headingLevel: Number(this.getAttribute('heading-level')) || 2,
        showTitle: !this.hasAttribute('no-title'),
      });
      this.dataset.ready = 'true';
      this.dispatchEvent(new CustomEvent('eligo-ready', { bubbles: true, detail: { ruleset: id } }));
    } catch (err) {
      if (generation !== this.generation) return;
      const p = toProblem(err);
      host.replaceChildren(Object.assign(document.createElement('p'), {
        className: 'eligo-result__failure',
        textContent: `This form could not be loaded: ${p.message}`,
      }));
      this.dataset.ready = 'failed';
    }
  }
}

if (!customElements.get('eligo-form')) customElements.define('eligo-form', EligoFormElement);
