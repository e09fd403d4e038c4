// A code editor made of a plain <textarea>, so typing, selection, undo,
// spellcheck-free input, screen readers and mobile keyboards all behave as
// the browser makes them. On top of it:
//   - syntax colouring: the textarea's text is transparent and a <pre> with
//     coloured spans sits exactly beneath it, scrolled in step;
//   - line numbers in a gutter;
//   - Tab and Shift+Tab indent and outdent by two spaces (Esc, then Tab,
//     moves focus on, so the keyboard is never trapped), Enter keeps the
//     indentation;
//   - an optional autocompletion popup (Ctrl+Space, or as you type).
// Edits go through execCommand('insertText') where the browser has it, so
// Ctrl+Z undoes them like typing.

import { appendWithCode, highlightGraphQL, highlightJSON } from './highlight.js';

const INDENT = '  ';
const CLOSERS = { '{': '}', '(': ')', '[': ']' };
const CLOSING = new Set(Object.values(CLOSERS));
let editors = 0;

export class Editor {
  /**
   * textarea: the element to enhance (already labelled in the page).
   * language: 'graphql' or 'json', for colouring.
   * onChange(value): called after every edit.
   * complete(text, cursor, explicit): suggestions, as completionsAt returns.
   */
  constructor(textarea, { language = 'graphql', onChange = () => {}, complete = null } = {}) {
    this.textarea = textarea;
    this.highlight = language === 'json' ? highlightJSON : highlightGraphQL;
    this.onChange = onChange;
    this.complete = complete;
    this.id = `editor-${++editors}`;
    this.tabMovesFocus = false;
    this.quiet = false; // true while replace() edits: Chrome fires an input event per line
    this.popup = null; // the open suggestions: {from, to, items, active}
    this.lineCount = 0;
    this.frame = 0; // a pending requestAnimationFrame redraw
    this.build();
    this.listen();
    this.refresh();
  }

  get value() {
    return this.textarea.value;
  }

  /**
   * Replaces the whole text as one edit that Ctrl+Z can undo. The textarea
   * takes focus for it, then focus goes back where it was.
   */
  setValue(text) {
    if (text === this.value) return;
    const focused = document.activeElement;
    this.replace(0, this.value.length, text);
    this.textarea.setSelectionRange(0, 0);
    this.textarea.scrollTop = 0;
    if (focused && focused !== this.textarea && focused !== document.body) focused.focus();
  }

  focus() {
    this.textarea.focus();
  }

  build() {
    const ta = this.textarea;
    this.root = element('div', 'editor');
    ta.before(this.root);

    const gutter = element('div', 'editor-gutter');
    gutter.setAttribute('aria-hidden', 'true');
    this.lines = element('div', 'editor-lines');
    gutter.append(this.lines);

    const code = element('div', 'editor-code');
    this.pre = element('pre', 'editor-highlight');
    this.pre.setAttribute('aria-hidden', 'true');
    // A hidden run of ten characters, to measure the font for the popup.
    this.probe = element('span', 'editor-probe');
    this.probe.setAttribute('aria-hidden', 'true');
    this.probe.textContent = '0000000000';
    ta.classList.add('editor-input');
    ta.setAttribute('wrap', 'off');
    ta.setAttribute('spellcheck', 'false');
    ta.setAttribute('autocomplete', 'off');
    ta.setAttribute('autocapitalize', 'off');
    ta.setAttribute('autocorrect', 'off');
    code.append(this.pre, this.probe, ta);
    this.code = code;
    this.root.append(gutter, code);

    if (this.complete) {
      this.popupEl = element('div', 'completions');
      this.popupEl.hidden = true;
      this.listEl = element('ul', 'completions-list');
      this.listEl.id = `${this.id}-suggestions`;
      this.listEl.setAttribute('role', 'listbox');
      this.listEl.setAttribute('aria-label', 'Suggestions');
      this.infoEl = element('p', 'completions-info');
      this.popupEl.append(this.listEl, this.infoEl);
      this.root.append(this.popupEl);
      ta.setAttribute('aria-autocomplete', 'list');
    }
  }

  listen() {
    const ta = this.textarea;
    ta.addEventListener('input', (e) => {
      if (this.quiet) return; // replace() refreshes once when it is done
      this.scheduleRefresh();
      this.onChange(this.value);
      if (this.complete) this.suggestAfterInput(e);
    });
    ta.addEventListener('scroll', () => {
      this.syncScroll();
      this.closePopup();
    });
    ta.addEventListener('keydown', (e) => this.keydown(e));
    ta.addEventListener('blur', () => this.closePopup());
    ta.addEventListener('mousedown', () => this.closePopup());
    if (this.popupEl) {
      // Keep focus in the textarea when a suggestion is clicked.
      this.popupEl.addEventListener('mousedown', (e) => e.preventDefault());
      this.listEl.addEventListener('click', (e) => {
        const option = e.target.closest('[role="option"]');
        if (option) this.accept(Number(option.dataset.index));
      });
    }
  }

  /**
   * Redraws before the next paint. Some edits (a multi-line insertion, in
   * Chrome) fire an input event per line; drawing once per frame keeps
   * them from costing a full redraw each.
   */
  scheduleRefresh() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.refresh();
    });
  }

  /** Redraws the colouring and the line numbers from the textarea's text. */
  refresh() {
    const text = this.value;
    // The extra line break gives a trailing empty line its height, as in the textarea.
    this.pre.replaceChildren(this.highlight(text), '\n');
    const count = text.split('\n').length;
    if (count !== this.lineCount) {
      this.lineCount = count;
      this.lines.textContent = Array.from({ length: count }, (_, i) => i + 1).join('\n');
    }
    this.syncScroll();
  }

  syncScroll() {
    const { scrollTop, scrollLeft } = this.textarea;
    this.pre.style.transform = `translate(${-scrollLeft}px, ${-scrollTop}px)`;
    this.lines.style.transform = `translateY(${-scrollTop}px)`;
  }

  /** Replaces from..to with text, as one undoable edit where possible. */
  replace(from, to, text) {
    const ta = this.textarea;
    this.quiet = true;
    ta.focus();
    // execCommand is deprecated but still the only way to edit a textarea
    // that keeps the browser's undo history. It edits whatever has focus, so
    // it is only used when the textarea got it (a hidden one cannot).
    let done = false;
    if (document.activeElement === ta) {
      ta.setSelectionRange(from, to);
      done = text === ''
        ? document.execCommand('delete', false)
        : document.execCommand('insertText', false, text);
    }
    if (!done) ta.setRangeText(text, from, to, 'end');
    this.quiet = false;
    this.refresh();
    this.onChange(this.value);
  }

  keydown(e) {
    if (this.popup && this.popupKey(e)) {
      e.preventDefault();
      return;
    }
    const plain = !e.ctrlKey && !e.metaKey && !e.altKey;
    if (e.key === ' ' && e.ctrlKey && this.complete) {
      e.preventDefault();
      this.suggest(true);
      return;
    }
    if (e.key === 'Escape') {
      this.tabMovesFocus = true;
      return;
    }
    if (e.key === 'Tab' && plain) {
      if (this.tabMovesFocus) {
        this.tabMovesFocus = false;
        return; // the browser moves focus
      }
      e.preventDefault();
      if (e.shiftKey) this.outdent();
      else this.indent();
      return;
    }
    if (e.key !== 'Shift') this.tabMovesFocus = false;
    if (e.key === 'Enter' && plain && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      this.newline();
    } else if (CLOSING.has(e.key) && plain && this.dedentForCloser(e.key)) {
      e.preventDefault();
    }
  }

  /**
   * A closing bracket typed on a line of nothing but indentation goes one
   * level out, to line up with the line that opened it. False if it does not apply.
   */
  dedentForCloser(closer) {
    const { selectionStart: start, selectionEnd: end, value } = this.textarea;
    if (start !== end) return false;
    const from = lineStart(value, start);
    const indent = value.slice(from, start);
    if (!/^ +$/.test(indent) || indent.length < INDENT.length) return false;
    this.replace(from, start, indent.slice(INDENT.length) + closer);
    return true;
  }

  /** Two spaces at the cursor, or before every selected line. */
  indent() {
    const ta = this.textarea;
    const { selectionStart: start, selectionEnd: end, value } = ta;
    if (!value.slice(start, end).includes('\n')) {
      this.replace(start, end, INDENT);
      return;
    }
    const from = lineStart(value, start);
    const lines = value.slice(from, end).split('\n');
    const text = lines.map((line) => (line ? INDENT + line : line)).join('\n');
    this.replace(from, end, text);
    const added = text.length - (end - from);
    ta.setSelectionRange(start + (lines[0] ? INDENT.length : 0), end + added);
  }

  /** Up to two leading spaces off the current or every selected line. */
  outdent() {
    const ta = this.textarea;
    const { selectionStart: start, selectionEnd: end, value } = ta;
    const from = lineStart(value, start);
    const lines = value.slice(from, end).split('\n');
    const trimmed = lines.map((line) => line.replace(/^ {1,2}/, ''));
    const text = trimmed.join('\n');
    if (text === value.slice(from, end)) return;
    this.replace(from, end, text);
    const firstCut = lines[0].length - trimmed[0].length;
    const removed = end - from - text.length;
    ta.setSelectionRange(Math.max(from, start - firstCut), end - removed);
  }

  /**
   * A line break that keeps the current line's indentation, one level more
   * after an opening bracket; between a pair of brackets the closing one
   * moves to its own line.
   */
  newline() {
    const ta = this.textarea;
    const { selectionStart: start, selectionEnd: end, value } = ta;
    const line = value.slice(lineStart(value, start), start);
    const indent = /^[ \t]*/.exec(line)[0];
    const opener = line.trimEnd().slice(-1);
    let text = `\n${indent}`;
    let caret = text.length;
    if (CLOSERS[opener]) {
      text += INDENT;
      caret = text.length;
      if (value[end] === CLOSERS[opener]) text += `\n${indent}`;
    }
    this.replace(start, end, text);
    ta.setSelectionRange(start + caret, start + caret);
  }

  // --- Autocompletion -------------------------------------------------------

  suggestAfterInput(e) {
    const typedWordChar = e.inputType === 'insertText' && /^[_A-Za-z0-9]$/.test(e.data || '');
    const deleted = e.inputType === 'deleteContentBackward' && this.popup;
    if (typedWordChar || deleted) this.suggest(false);
    else this.closePopup();
  }

  /** Opens (or updates) the popup for the cursor; explicit when asked for with Ctrl+Space. */
  suggest(explicit) {
    const ta = this.textarea;
    const result = ta.selectionStart === ta.selectionEnd
      ? this.complete(this.value, ta.selectionStart, explicit)
      : null;
    if (!result) {
      this.closePopup();
      return;
    }
    this.popup = { ...result, active: 0 };
    this.renderPopup();
  }

  /** Handles a key while the popup is open; true when it was the popup's. */
  popupKey(e) {
    const count = this.popup.items.length;
    if (e.ctrlKey || e.metaKey || e.altKey) return false;
    switch (e.key) {
      case 'ArrowDown':
        this.setActive((this.popup.active + 1) % count);
        return true;
      case 'ArrowUp':
        this.setActive((this.popup.active - 1 + count) % count);
        return true;
      case 'PageDown':
        this.setActive(Math.min(count - 1, this.popup.active + 8));
        return true;
      case 'PageUp':
        this.setActive(Math.max(0, this.popup.active - 8));
        return true;
      case 'Enter':
      case 'Tab':
        this.accept(this.popup.active);
        return true;
      case 'Escape':
        this.closePopup();
        return true;
      default:
        return false;
    }
  }

  accept(index) {
    const { from, to, items } = this.popup;
    this.closePopup();
    this.replace(from, to, items[index].insert);
  }

  closePopup() {
    if (!this.popup) return;
    this.popup = null;
    this.popupEl.hidden = true;
    this.textarea.removeAttribute('aria-activedescendant');
    this.textarea.removeAttribute('aria-controls');
  }

  renderPopup() {
    const { items } = this.popup;
    this.listEl.replaceChildren(...items.map((item, i) => {
      const li = element('li', 'completion');
      li.id = `${this.id}-option-${i}`;
      li.dataset.index = String(i);
      li.setAttribute('role', 'option');
      const label = element('span', 'completion-label');
      label.textContent = item.label;
      if (item.deprecated) label.classList.add('is-deprecated');
      const detail = element('span', 'completion-detail');
      detail.textContent = item.detail || '';
      li.append(label, detail);
      return li;
    }));
    this.popupEl.hidden = false;
    this.textarea.setAttribute('aria-controls', this.listEl.id);
    this.setActive(0);
    this.placePopup();
  }

  setActive(index) {
    this.popup.active = index;
    for (const li of this.listEl.children) {
      li.setAttribute('aria-selected', String(Number(li.dataset.index) === index));
    }
    const li = this.listEl.children[index];
    li.scrollIntoView({ block: 'nearest' });
    this.textarea.setAttribute('aria-activedescendant', li.id);
    const item = this.popup.items[index];
    this.infoEl.replaceChildren();
    if (item.description) appendWithCode(this.infoEl, item.description);
    this.infoEl.hidden = !item.description;
  }

  /** Puts the popup under the start of the word being completed (above it if no room). */
  placePopup() {
    const ta = this.textarea;
    const style = getComputedStyle(ta);
    const charWidth = this.probe.getBoundingClientRect().width / 10;
    const lineHeight = parseFloat(style.lineHeight);
    const before = this.value.slice(0, this.popup.from);
    const row = before.split('\n').length - 1;
    const lastLine = before.slice(before.lastIndexOf('\n') + 1);
    const column = lastLine.replace(/\t/g, INDENT).length;

    const left = this.code.offsetLeft + parseFloat(style.paddingLeft) + column * charWidth - ta.scrollLeft;
    const top = this.code.offsetTop + parseFloat(style.paddingTop) + row * lineHeight - ta.scrollTop;
    const popup = this.popupEl;
    const maxLeft = Math.max(0, this.root.clientWidth - popup.offsetWidth);
    popup.style.left = `${Math.min(Math.max(0, left), maxLeft)}px`;
    const below = top + lineHeight;
    const fitsBelow = below + popup.offsetHeight <= this.root.clientHeight || top < popup.offsetHeight;
    popup.style.top = `${fitsBelow ? below : top - popup.offsetHeight}px`;
  }
}

function element(tag, className) {
  const el = document.createElement(tag);
  el.className = className;
  return el;
}

function lineStart(text, offset) {
  return text.lastIndexOf('\n', offset - 1) + 1;
}
