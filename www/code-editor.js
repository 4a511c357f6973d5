// A plain textarea with line numbers and line highlights, for the rule playground.
// No syntax colouring and no editor library: the textarea stays a real textarea, so
// keyboard use, screen readers, undo and copy work as everywhere else (Tab moves focus on).

export class CodeEditor {
  /** Build inside `host`; `label` names the textarea for assistive technology. */
  constructor(host, { label = 'Code', onInput } = {}) {
    this.marks = new Map(); // line → message
    this.root = document.createElement('div');
    this.root.className = 'code-editor';
    this.gutter = document.createElement('div');
    this.gutter.className = 'code-editor__gutter';
    this.gutter.setAttribute('aria-hidden', 'true');
    this.gutterInner = document.createElement('div');
    this.gutter.append(this.gutterInner);
    const main = document.createElement('div');
    main.className = 'code-editor__main';
    this.backdrop = document.createElement('div');
    this.backdrop.className = 'code-editor__marks';
    this.backdrop.setAttribute('aria-hidden', 'true');
    this.text = document.createElement('textarea');
    this.text.className = 'code-editor__text';
    this.text.spellcheck = false;
    this.text.wrap = 'off';
    this.text.setAttribute('autocapitalize', 'off');
    this.text.setAttribute('autocomplete', 'off');
    this.text.setAttribute('aria-label', label);
    main.append(this.backdrop, this.text);
    this.root.append(this.gutter, main);
    host.append(this.root);
    this.text.addEventListener('input', () => {
      this.renderGutter();
      if (onInput) onInput(this.text.value);
    });
    this.text.addEventListener('scroll', () => this.sync());
  }

  get value() {
    return this.text.value;
  }

  set value(v) {
    this.text.value = v;
    this.text.scrollTop = 0;
    this.text.scrollLeft = 0;
    this.renderGutter();
  }

  setLabel(label) {
    this.text.setAttribute('aria-label', label);
  }

  /** Mark lines (from 1) with problems: `[{line, message}]`; an empty list clears them. */
  setMarks(marks) {
    this.marks = new Map();
    for (const m of marks) if (m.line > 0) this.marks.set(m.line, m.message);
    this.renderGutter();
  }

  /** Put the caret at a line and column (from 1) and scroll it into view. */
  goTo(line, column = 1) {
    const lines = this.text.value.split('\n');
    let offset = 0;
    for (let i = 0; i < Math.min(line - 1, lines.length); i++) offset += lines[i].length + 1;
    offset += Math.max(0, Math.min(column - 1, (lines[line - 1] || '').length));
    this.text.focus();
    this.text.setSelectionRange(offset, offset);
    const lh = this.lineHeight();
    const want = (line - 1) * lh;
    if (want < this.text.scrollTop || want > this.text.scrollTop + this.text.clientHeight - 2 * lh) {
      this.text.scrollTop = Math.max(0, want - this.text.clientHeight / 3);
    }
    this.sync();
  }

  lineHeight() {
    return parseFloat(getComputedStyle(this.text).lineHeight) || 20;
  }

  renderGutter() {
    const count = this.text.value.split('\n').length;
    const frag = document.createDocumentFragment();
    for (let i = 1; i <= count; i++) {
      const d = document.createElement('div');
      d.textContent = String(i);
      if (this.marks.has(i)) {
        d.className = 'is-error';
        d.title = this.marks.get(i);
      }
      frag.append(d);
    }
    this.gutterInner.replaceChildren(frag);
    const bars = document.createDocumentFragment();
    for (const line of this.marks.keys()) {
      if (line > count) continue;
      const bar = document.createElement('div');
      bar.className = 'code-editor__mark';
      bar.dataset.line = String(line);
      bars.append(bar);
    }
    this.backdrop.replaceChildren(bars);
    this.sync();
  }

  /** Keep the gutter and highlights in step with the textarea's scroll. */
  sync() {
    const lh = this.lineHeight();
    const pad = parseFloat(getComputedStyle(this.text).paddingTop) || 0;
    this.gutterInner.style.transform = `translateY(${-this.text.scrollTop}px)`;
    for (const bar of this.backdrop.children) {
      bar.style.top = `${pad + (Number(bar.dataset.line) - 1) * lh - this.text.scrollTop}px`;
      bar.style.height = `${lh}px`;
    }
  }
}
