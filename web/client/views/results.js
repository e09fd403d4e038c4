// What the path and fit pages share: a form whose answer is shown below it
// without rebuilding the page, so focus stays where it was, while the URL
// follows (a choice can be shared, and survives a reload and Back).

import { ApiError } from '../api.js';
import { h } from '../dom.js';
import { setTitle } from '../router.js';

/**
 * An area for a form's answer and a status line that screen readers
 * announce. show(url, load) puts url in the address bar (unless it is
 * already there), says busy while load(signal) runs, then shows what it
 * answers ({ title, status, content }; title, if any, becomes the
 * document's); a newer show or leaving the page drops an older one's answer.
 */
export function answerArea(ctx, className, busy) {
  const status = h('p', { class: 'visually-hidden', role: 'status' });
  const area = h('div', { class: className });
  let current = null;

  async function show(url, load, { push = true } = {}) {
    if (ctx.signal.aborted) return; // the page is gone
    if (push) {
      const target = new URL(url, location.href);
      if (target.href !== location.href) history.pushState(null, '', target);
    }
    if (current) current.abort();
    const controller = new AbortController();
    current = controller;
    const stop = () => controller.abort();
    ctx.signal.addEventListener('abort', stop);
    area.setAttribute('aria-busy', 'true');
    area.replaceChildren(h('p', { class: 'loading' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), busy));
    status.textContent = busy;
    let answer;
    try {
      answer = await load(controller.signal);
    } catch (err) {
      if (controller.signal.aborted || ctx.signal.aborted || err.name === 'AbortError') return;
      if (!(err instanceof ApiError)) console.error(err);
      answer = failure(err);
    } finally {
      ctx.signal.removeEventListener('abort', stop);
    }
    if (controller.signal.aborted || ctx.signal.aborted) return;
    if (answer.title) setTitle(answer.title);
    area.removeAttribute('aria-busy');
    area.replaceChildren(...[answer.content].flat().filter(Boolean));
    status.textContent = answer.status || '';
  }

  return { status, area, show };
}

/** An answer that says what went wrong, in the API's words when it gave some. */
export function failure(err, message) {
  const text = message || (err instanceof ApiError ? err.message : 'Something went wrong. Please try again.');
  // The alert is announced as it appears; the status line need not repeat it.
  return { status: '', content: h('p', { class: 'notice', role: 'alert' }, text) };
}

/** A promise that does not reject: { data } or { err }. */
export function settle(promise) {
  return promise.then((data) => ({ data }), (err) => ({ err }));
}

/** A labelled menu of every role; value is the slug chosen at first. */
export function roleSelect(id, name, label, roles, value) {
  return h('div', { class: 'field' },
    h('label', { for: id }, label),
    h('select', { id, name, required: true },
      h('option', { value: '' }, 'Choose a role…'),
      roles.map((r) => h('option', { value: r.slug, selected: r.slug === value }, r.title))));
}

/**
 * A form of two role menus and a button; submitting calls onPick with the
 * two slugs chosen ({ [name]: slug }) instead of leaving the page.
 * fields: [[id, name, label, value], [id, name, label, value]].
 */
export function rolePairForm(action, roles, fields, button, onPick) {
  const form = h('form', { class: 'pick-form', action, method: 'get' },
    fields.map(([id, name, label, value]) => roleSelect(id, name, label, roles, value)),
    h('button', { type: 'submit', class: 'button primary' }, button));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    onPick(Object.fromEntries(fields.map(([, name]) => [name, data.get(name) || ''])));
  });
  return form;
}
