// Small helpers to build the page with DOM APIs. Text from the API only
// ever becomes text nodes or attribute values: nothing here parses HTML.

import { resourceKindLabel } from './labels.js';

/**
 * Creates an element. props sets attributes, except: class (className),
 * text (textContent), on<event> (a listener) and dataset. Children may be
 * nodes, strings (text) or nested arrays; null and false are skipped.
 */
export function h(tag, props, ...children) {
  return fill(document.createElement(tag), props, children);
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Like h, for SVG elements. */
export function s(tag, props, ...children) {
  return fill(document.createElementNS(SVG_NS, tag), props, children);
}

function fill(el, props, children) {
  for (const [key, value] of Object.entries(props || {})) {
    if (value == null || value === false) continue;
    if (key === 'class') el.setAttribute('class', value);
    else if (key === 'text') el.textContent = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  el.append(...children.flat(Infinity).filter((c) => c != null && c !== false));
  return el;
}

/** Splits text into paragraphs at blank lines, as the API writes them. */
export function paragraphs(text, className) {
  return String(text || '')
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => h('p', { class: className }, p));
}

/** A list of strings as <ul>, or nothing for an empty list. */
export function list(items, className) {
  if (!items || items.length === 0) return null;
  return h('ul', { class: className }, items.map((item) => h('li', null, item)));
}

/** A link that leaves the Finder, marked so people know. */
export function externalLink(href, text, className) {
  return h('a', { href, class: className ? `external ${className}` : 'external', rel: 'noopener' }, text,
    h('span', { class: 'visually-hidden' }, ' (another site)'));
}

/** A role's page on the Finder. */
export const rolePath = (slug) => `/roles/${encodeURIComponent(slug)}`;

/** A tool's page on the Finder. */
export const toolPath = (slug) => `/tools/${encodeURIComponent(slug)}`;

/** A tool as a tag that links to its page, in a list. */
export const toolTag = (tool) => h('li', null, h('a', { class: 'tag tag-link', href: toolPath(tool.slug) }, tool.name));

/** Tools as a list of tags that link to their pages. */
export const toolTags = (tools) => h('ul', { class: 'tags' }, tools.map(toolTag));

/** A learning resource's kind, whether it is free, and who offers it. */
export function resourceMeta(r, tag = 'p') {
  return h(tag, { class: 'resource-meta' },
    h('span', { class: 'tag' }, resourceKindLabel(r.kind)),
    r.free ? h('span', { class: 'tag tag-free' }, 'Free') : null,
    r.provider && r.provider !== r.title ? h('span', null, `by ${r.provider}`) : null);
}
