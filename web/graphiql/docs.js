// The documentation explorer: the schema from introspection, read as pages.
// The root page lists the root types and every type; a type page lists its
// fields (or values, input fields, possible types); a field page shows its
// arguments and return type. Pages stack up, with a back button and a
// breadcrumb, and a search box filters types and fields by name.
//
// Schema text (names, descriptions, deprecation reasons) only ever reaches
// the page through textContent: the server's words are never parsed as HTML.

import { appendWithCode } from './highlight.js';
import { INTROSPECTION_QUERY, KIND_LABELS, Schema, namedType, typeString } from './schema.js';

const MAX_RESULTS = 50;

export class DocsExplorer {
  /**
   * root: the docs pane, with #docs-search, .docs-back, .docs-crumbs,
   *   .docs-body, #docs-status and #docs-reload inside.
   * request(body): posts a GraphQL request, resolves to {status, json}, or
   *   rejects with an Error whose message is fit to show.
   * The loaded schema is in .schema (null until loaded, or if it cannot be).
   */
  constructor(root, { request }) {
    this.request = request;
    this.schema = null;
    this.stack = [{ kind: 'root' }];
    this.search = root.querySelector('#docs-search');
    this.backButton = root.querySelector('.docs-back');
    this.crumbs = root.querySelector('.docs-crumbs');
    this.body = root.querySelector('.docs-body');
    this.status = root.querySelector('#docs-status');

    root.querySelector('#docs-reload').addEventListener('click', () => this.load());
    this.backButton.addEventListener('click', () => this.go(this.stack.length - 2));
    this.search.addEventListener('input', () => this.render());
    this.search.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && this.search.value) {
        e.preventDefault();
        this.search.value = '';
        this.render();
      }
    });
  }

  /** Fetches the schema by introspection and shows the root page. */
  async load() {
    this.body.setAttribute('aria-busy', 'true');
    this.showMessage('Loading the schema…');
    let schema = null;
    try {
      const { status, json } = await this.request({
        query: INTROSPECTION_QUERY,
        variables: {},
        operationName: 'IntrospectionQuery',
      });
      const raw = json && json.data ? json.data.__schema : null;
      if (raw && Array.isArray(raw.types)) {
        schema = new Schema(raw);
      } else if (json === null) {
        this.showMessage(
          'The schema could not be loaded, so there is no documentation to show.',
          `The server answered HTTP ${status} with a response that is not JSON.`,
          true,
        );
      } else {
        const first = json && Array.isArray(json.errors) && json.errors[0];
        this.showMessage(
          'This server does not allow introspection, so there is no documentation to show here. '
          + 'Queries still run as usual.',
          first && first.message ? `The server said (HTTP ${status}): ${first.message}` : `HTTP status ${status}.`,
        );
      }
    } catch (err) {
      this.showMessage('The schema could not be loaded, so there is no documentation to show.', err.message, true);
    }
    this.body.removeAttribute('aria-busy');
    this.schema = schema;
    if (schema) {
      this.stack = this.stack.filter((view) => view.kind === 'root' || schema.type(view.type));
      this.render();
    }
  }

  /** A notice in place of the docs, with an optional detail and retry button. */
  showMessage(text, detail, retry = false) {
    this.backButton.hidden = true;
    this.crumbs.replaceChildren();
    const nodes = [el('p', 'docs-message', text)];
    if (detail) nodes.push(el('p', 'docs-detail', detail));
    if (retry) {
      const button = el('button', 'button', 'Try again');
      button.type = 'button';
      button.addEventListener('click', () => this.load());
      nodes.push(button);
    }
    this.body.replaceChildren(...nodes);
  }

  /** Opens a page on top of the current one. */
  open(view) {
    this.search.value = '';
    this.stack.push(view);
    this.render(true);
  }

  /** Returns to the page at this depth. */
  go(depth) {
    this.stack.length = Math.max(1, depth + 1);
    this.search.value = '';
    this.render(true);
  }

  render(moveFocus = false) {
    if (!this.schema) return;
    const query = this.search.value.trim();
    const view = this.stack[this.stack.length - 1];
    this.renderNav();
    let page;
    if (!query) this.status.textContent = '';
    if (query) page = this.searchPage(query);
    else if (view.kind === 'root') page = this.rootPage();
    else if (view.kind === 'type') page = this.typePage(this.schema.type(view.type));
    else page = this.fieldPage(this.schema.type(view.type), view.field);
    this.body.replaceChildren(...page);
    this.body.scrollTop = 0;
    // Keyboard and screen reader users land on the new page's heading.
    if (moveFocus) this.body.querySelector('h3').focus();
  }

  renderNav() {
    const { stack } = this;
    const previous = stack[stack.length - 2];
    this.backButton.hidden = !previous;
    if (previous) this.backButton.textContent = `‹ Back to ${title(previous)}`;
    // On the root page the heading says it all; the trail starts one level down.
    if (!previous) {
      this.crumbs.replaceChildren();
      return;
    }
    this.crumbs.replaceChildren(...stack.map((view, depth) => {
      const li = document.createElement('li');
      if (depth === stack.length - 1) {
        const current = el('span', '', title(view));
        current.setAttribute('aria-current', 'page');
        li.append(current);
      } else {
        li.append(this.link(title(view), () => this.go(depth)));
      }
      return li;
    }));
  }

  // --- Pages ----------------------------------------------------------------

  rootPage() {
    const s = this.schema;
    const nodes = [heading('Schema')];
    const queryType = s.type(s.queryType);
    if (queryType && queryType.description) nodes.push(description(queryType.description));

    const roots = el('ul', 'docs-list');
    for (const [label, name] of [['query', s.queryType], ['mutation', s.mutationType], ['subscription', s.subscriptionType]]) {
      if (!name) continue;
      const li = el('li', 'docs-item');
      const sig = el('div', 'docs-sig');
      sig.append(el('span', 'docs-keyword', label), ': ', this.typeButton(name));
      li.append(sig);
      roots.append(li);
    }
    nodes.push(el('h4', '', 'Root types'), roots);

    const all = el('ul', 'docs-list');
    for (const type of s.namedTypes()) {
      const li = el('li', 'docs-item');
      const sig = el('div', 'docs-sig');
      sig.append(this.typeButton(type.name), ' ', el('span', 'docs-kind', KIND_LABELS[type.kind] || type.kind));
      li.append(sig);
      all.append(li);
    }
    nodes.push(el('h4', '', 'All types'), all);
    return nodes;
  }

  typePage(type) {
    const nodes = [heading(type.name), el('p', 'docs-kind', KIND_LABELS[type.kind] || type.kind)];
    if (type.interfaces.length) {
      const p = el('p', '', 'Implements ');
      type.interfaces.forEach((ref, i) => {
        if (i > 0) p.append(', ');
        p.append(this.typeButton(ref.name));
      });
      nodes.push(p);
    }
    if (type.description) nodes.push(description(type.description));

    if (type.kind === 'OBJECT' || type.kind === 'INTERFACE') {
      nodes.push(el('h4', '', 'Fields'), this.list(type.fields, (f) => this.fieldItem(type, f)));
    }
    if (type.kind === 'INTERFACE' || type.kind === 'UNION') {
      const label = type.kind === 'UNION' ? 'Possible types' : 'Implemented by';
      nodes.push(el('h4', '', label), this.list(type.possibleTypes, (ref) => {
        const possible = this.schema.type(ref.name);
        return [this.typeButton(ref.name), possible && possible.description ? summary(possible.description) : null];
      }));
    }
    if (type.kind === 'ENUM') {
      nodes.push(el('h4', '', 'Values'), this.list(type.enumValues, (v) => [
        el('span', 'docs-enum', v.name),
        v.description ? description(v.description) : null,
        v.isDeprecated ? deprecation(v.deprecationReason) : null,
      ]));
    }
    if (type.kind === 'INPUT_OBJECT') {
      nodes.push(el('h4', '', 'Input fields'), this.list(type.inputFields, (f) => this.inputValue(f)));
    }
    return nodes;
  }

  fieldPage(type, name) {
    const field = this.schema.field(type, name);
    if (!field) return this.typePage(type);
    const nodes = [heading(field.name)];
    const context = el('p', 'docs-kind', 'Field of ');
    context.append(this.typeButton(type.name));
    nodes.push(context);
    if (field.isDeprecated) nodes.push(deprecation(field.deprecationReason));
    if (field.description) nodes.push(description(field.description));
    const returns = el('p', 'docs-sig');
    returns.append(this.typeRef(field.type));
    nodes.push(el('h4', '', 'Type'), returns);
    if (field.args.length) {
      nodes.push(el('h4', '', 'Arguments'), this.list(field.args, (a) => this.inputValue(a)));
    }
    return nodes;
  }

  searchPage(query) {
    const q = query.toLowerCase();
    const types = [];
    const fields = [];
    for (const type of this.schema.namedTypes()) {
      if (type.name.toLowerCase().includes(q)) types.push(type);
      for (const f of [...type.fields, ...type.inputFields]) {
        if (f.name.toLowerCase().includes(q)) fields.push({ type, field: f });
      }
    }
    const total = types.length + fields.length;
    this.status.textContent = total === 1 ? '1 result' : `${total} results`;
    const nodes = [heading(`Results for “${query}”`)];
    if (total === 0) {
      nodes.push(el('p', 'docs-message', 'No type or field has a name containing that.'));
      return nodes;
    }
    if (types.length) {
      nodes.push(el('h4', '', 'Types'), this.list(types.slice(0, MAX_RESULTS), (t) => [
        this.typeButton(t.name), ' ', el('span', 'docs-kind', KIND_LABELS[t.kind] || t.kind),
      ]));
    }
    if (fields.length) {
      nodes.push(el('h4', '', 'Fields'), this.list(fields.slice(0, MAX_RESULTS), ({ type, field }) => {
        // Input fields have no page of their own: they open their input type.
        const isInput = type.kind === 'INPUT_OBJECT';
        const open = isInput
          ? () => this.open({ kind: 'type', type: type.name })
          : () => this.open({ kind: 'field', type: type.name, field: field.name });
        const sig = el('span', 'docs-owner', `${type.name}.`);
        return [sig, this.link(field.name, open, 'docs-field'), ': ', this.typeRef(field.type)];
      }));
    }
    if (types.length > MAX_RESULTS || fields.length > MAX_RESULTS) {
      nodes.push(el('p', 'docs-detail', `Showing the first ${MAX_RESULTS} of each; type more to narrow the search.`));
    }
    return nodes;
  }

  // --- Pieces ---------------------------------------------------------------

  /** A list with one item per entry; item(entry) gives the item's contents. */
  list(entries, item) {
    const ul = el('ul', 'docs-list');
    for (const entry of entries) {
      const li = el('li', 'docs-item');
      const parts = item(entry);
      li.append(...(Array.isArray(parts) ? parts : [parts]).filter((p) => p !== null));
      ul.append(li);
    }
    return ul;
  }

  /** A field in a type's list: name(args): Type, its summary, and any deprecation. */
  fieldItem(type, field) {
    const sig = el('div', 'docs-sig');
    sig.append(this.link(field.name, () => this.open({ kind: 'field', type: type.name, field: field.name }), 'docs-field'));
    if (field.args.length) sig.append(el('span', 'docs-args', `(${field.args.map((a) => a.name).join(', ')})`));
    sig.append(': ', this.typeRef(field.type));
    if (field.isDeprecated) sig.classList.add('is-deprecated');
    return [
      sig,
      field.description ? summary(field.description) : null,
      field.isDeprecated ? deprecation(field.deprecationReason) : null,
    ];
  }

  /** An argument or input field: name: Type = default, and its description. */
  inputValue(value) {
    const sig = el('div', 'docs-sig');
    sig.append(el('span', 'docs-arg', value.name), ': ', this.typeRef(value.type));
    if (value.defaultValue !== null && value.defaultValue !== undefined) {
      sig.append(el('span', 'docs-default', ` = ${value.defaultValue}`));
    }
    return [sig, value.description ? description(value.description) : null];
  }

  /** A type reference such as [RoleEdge!]!, with the named type a link. */
  typeRef(ref) {
    const text = typeString(ref);
    const name = namedType(ref);
    const at = text.indexOf(name);
    const span = document.createElement('span');
    span.append(text.slice(0, at), this.typeButton(name), text.slice(at + name.length));
    return span;
  }

  typeButton(name) {
    return this.link(name, () => this.open({ kind: 'type', type: name }), 'docs-type');
  }

  link(text, onClick, className = '') {
    const button = el('button', `docs-link ${className}`.trim(), text);
    button.type = 'button';
    button.addEventListener('click', onClick);
    return button;
  }
}

function title(view) {
  if (view.kind === 'root') return 'Schema';
  if (view.kind === 'type') return view.type;
  return view.field;
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** The page's heading, focusable so navigation can move focus to it. */
function heading(text) {
  const h = el('h3', 'docs-title', text);
  h.tabIndex = -1;
  return h;
}

function deprecation(reason) {
  const p = el('p', 'docs-deprecated');
  p.append(el('strong', '', 'Deprecated'), reason ? ': ' : '.');
  return reason ? appendWithCode(p, reason) : p;
}

/**
 * A description as paragraphs (split at blank lines), with `code` spans as
 * <code>. Built from text nodes only.
 */
function description(text) {
  const div = el('div', 'docs-description');
  for (const paragraph of text.trim().split(/\n\s*\n/)) {
    div.append(appendWithCode(el('p'), paragraph.replace(/\s*\n\s*/g, ' ')));
  }
  return div;
}

/** The first paragraph of a description, for lists. */
function summary(text) {
  return appendWithCode(el('p', 'docs-summary'), text.trim().split(/\n\s*\n/)[0].replace(/\s*\n\s*/g, ' '));
}
