// Search as you type, in the header: an ARIA 1.2 combobox whose listbox
// groups the results (roles, tools, learning resources). Focus stays in
// the input; the arrow keys move the active option, Enter opens it, Escape
// closes the list (and, pressed again, clears the input).

import { gql } from './api.js';
import { h, rolePath, toolPath } from './dom.js';
import { categoryLabel, resourceKindLabel } from './labels.js';
import { navigate } from './router.js';

const SEARCH = `query Search($query: String!) {
  search(query: $query, first: 30) {
    __typename
    ... on Role { slug title tagline }
    ... on Tool { slug name category }
    ... on LearningResource { slug title provider kind url }
  }
}`;

const DELAY_MS = 120;
const PER_GROUP = 5; // the best few of each kind, so every kind shows without scrolling
const GROUPS = [
  { type: 'Role', label: 'Roles' },
  { type: 'Tool', label: 'Tools' },
  { type: 'LearningResource', label: 'Learning resources' },
];

/** Wires the search box in the page's header. */
export function setupSearch(root) {
  const input = root.querySelector('#search-input');
  const panel = root.querySelector('#search-panel');
  const listbox = root.querySelector('#search-results');
  const note = root.querySelector('#search-note');
  const status = root.querySelector('#search-status');
  let options = []; // [{ el, open() }] in display order
  let active = -1;
  let timer = 0;
  let asked = 0; // a counter: only the latest answer is shown

  const open = (isOpen) => {
    panel.hidden = !isOpen;
    input.setAttribute('aria-expanded', String(isOpen));
    if (!isOpen) setActive(-1);
  };

  const setActive = (i) => {
    if (options[active]) options[active].el.setAttribute('aria-selected', 'false');
    active = i;
    const option = options[active];
    if (option) {
      option.el.setAttribute('aria-selected', 'true');
      input.setAttribute('aria-activedescendant', option.el.id);
      option.el.scrollIntoView({ block: 'nearest' });
    } else {
      input.removeAttribute('aria-activedescendant');
    }
  };

  // Forgets the results, so that focusing the box again shows nothing stale.
  const reset = () => {
    asked++;
    clearTimeout(timer);
    open(false);
    listbox.replaceChildren();
    options = [];
    note.textContent = '';
    status.textContent = '';
  };

  const choose = (option) => {
    input.value = '';
    reset();
    option.open();
  };

  async function run() {
    const text = input.value.trim();
    if (!text) {
      reset();
      return;
    }
    const ticket = ++asked;
    note.textContent = 'Searching…';
    try {
      const { search } = await gql(SEARCH, { query: text });
      if (ticket !== asked) return;
      show(text, search);
    } catch (err) {
      if (ticket !== asked) return;
      listbox.replaceChildren();
      options = [];
      note.textContent = err.message;
      status.textContent = err.message;
      open(true);
    }
  }

  function show(text, results) {
    options = [];
    setActive(-1);
    const groups = GROUPS.map((g) => ({ ...g, items: results.filter((r) => r.__typename === g.type).slice(0, PER_GROUP) }))
      .filter((g) => g.items.length > 0);
    listbox.replaceChildren(...groups.map((g, gi) => {
      const labelId = `search-group-${gi}`;
      return h('div', { role: 'group', 'aria-labelledby': labelId, class: 'search-group' },
        h('div', { role: 'presentation', id: labelId, class: 'search-group-label' }, g.label),
        g.items.map((item) => optionFor(item, text)));
    }));
    const count = groups.reduce((n, g) => n + g.items.length, 0);
    note.textContent = count ? '' : `Nothing matches “${text}”. Try a shorter word, or a tool’s name.`;
    status.textContent = count
      ? `${count} ${count === 1 ? 'result' : 'results'}: ${groups.map((g) => `${g.items.length} ${g.label.toLowerCase()}`).join(', ')}.`
      : `No results for ${text}.`;
    open(true);
  }

  function optionFor(item, text) {
    const i = options.length;
    const { title, detail, open: go } = describe(item);
    const el = h('div', { role: 'option', id: `search-option-${i}`, class: 'search-option', 'aria-selected': 'false' },
      h('span', { class: 'search-option-title' }, highlight(title, text)),
      detail ? h('span', { class: 'search-option-detail' }, detail) : null);
    // mousedown would move focus out of the input and close the list first.
    el.addEventListener('mousedown', (event) => event.preventDefault());
    el.addEventListener('click', () => choose(options[i]));
    el.addEventListener('mousemove', () => { if (active !== i) setActive(i); });
    options.push({ el, open: go });
    return el;
  }

  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(run, DELAY_MS);
  });

  input.addEventListener('keydown', (event) => {
    const isOpen = !panel.hidden;
    switch (event.key) {
      case 'ArrowDown':
      case 'ArrowUp': {
        if (!options.length) return;
        event.preventDefault();
        if (!isOpen) open(true);
        const step = event.key === 'ArrowDown' ? 1 : -1;
        setActive(active < 0 && step < 0 ? options.length - 1 : (active + step + options.length) % options.length);
        break;
      }
      case 'Enter':
        if (isOpen && options.length) {
          event.preventDefault();
          choose(options[Math.max(active, 0)]);
        }
        break;
      case 'Escape':
        if (isOpen) {
          event.preventDefault(); // a search box would also clear itself
          open(false);
        } else {
          input.value = '';
          reset();
        }
        break;
      default:
    }
  });

  // The list closes when focus leaves the search box.
  root.addEventListener('focusout', (event) => {
    if (!root.contains(event.relatedTarget)) open(false);
  });
  input.addEventListener('focus', () => {
    if (options.length || note.textContent) open(true);
  });
}

/** What an option says and where it goes. */
function describe(item) {
  switch (item.__typename) {
    case 'Role':
      return { title: item.title, detail: item.tagline, open: () => navigate(rolePath(item.slug)) };
    case 'Tool':
      return { title: item.name, detail: categoryLabel(item.category), open: () => navigate(toolPath(item.slug)) };
    default:
      return {
        title: item.title,
        detail: `${resourceKindLabel(item.kind)} by ${item.provider} · another site`,
        open: () => location.assign(item.url),
      };
  }
}

/** The title with the searched words marked, built as text nodes. */
function highlight(title, text) {
  const words = text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  if (!words.length) return title;
  const lower = title.toLowerCase();
  const marks = new Array(title.length).fill(false);
  for (const word of words) {
    for (let at = lower.indexOf(word); at >= 0; at = lower.indexOf(word, at + 1)) {
      marks.fill(true, at, at + word.length);
    }
  }
  const parts = [];
  let start = 0;
  for (let i = 1; i <= title.length; i++) {
    if (i === title.length || marks[i] !== marks[start]) {
      const piece = title.slice(start, i);
      parts.push(marks[start] ? h('mark', null, piece) : piece);
      start = i;
    }
  }
  return parts;
}
