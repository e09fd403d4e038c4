// Choosing tools from the catalog: a filter box over every tool, grouped by
// category, as plain checkboxes (so Tab, Space and screen readers work as
// everywhere), with the choice repeated above the list as buttons that
// remove a tool. From the filter box, Enter adds the best match and the
// down arrow enters the list; in the list, the arrows move between the
// tools shown and Escape goes back to the filter.

import { h } from './dom.js';
import { CATEGORY_ORDER, categoryLabel } from './labels.js';

const ANNOUNCE_MS = 400;

let pickers = 0;

/**
 * A tool picker: tools is [{ slug, name, category }], initial the slugs
 * chosen at first (slugs the catalog lacks are kept, shown as they are).
 * Answers { element, chosen() }, chosen() being the slugs in the order
 * they were picked.
 */
export function toolPicker(tools, initial) {
  const id = `tools-${++pickers}`;
  const bySlug = new Map(tools.map((t) => [t.slug, t]));
  const chosen = [...new Set(initial)];
  const boxes = new Map(); // slug -> { input, item, key }
  let announceTimer = 0;

  const filter = h('input', {
    type: 'search', id: `${id}-filter`, autocomplete: 'off', spellcheck: 'false',
    'aria-describedby': `${id}-help`, 'aria-controls': `${id}-options`,
  });
  const count = h('span', { class: 'count' });
  const chips = h('ul', { class: 'tags chosen-tools', 'aria-labelledby': `${id}-chosen` });
  const none = h('p', { class: 'muted small chosen-none' }, 'None yet: tick the tools you know below.');
  const nothing = h('p', { class: 'muted small tool-none', hidden: true });
  const status = h('p', { class: 'visually-hidden', role: 'status' });

  const groups = groupByCategory(tools).map(({ category, items }) => {
    const fieldset = h('fieldset', { class: 'tool-group' },
      h('legend', null, categoryLabel(category)),
      h('ul', null, items.map((tool) => {
        const input = h('input', { type: 'checkbox', name: 'tools', value: tool.slug, id: `${id}-${tool.slug}`, checked: chosen.includes(tool.slug) });
        input.addEventListener('change', () => toggle(tool.slug, input.checked));
        const item = h('li', null, h('label', { class: 'check', for: input.id }, input, h('span', null, tool.name)));
        boxes.set(tool.slug, { input, item, key: tool.name.toLowerCase() });
        return item;
      })));
    return { fieldset, slugs: items.map((t) => t.slug) };
  });
  const options = h('div', { class: 'tool-options', id: `${id}-options`, role: 'group', 'aria-label': 'Tools by category' },
    groups.map((g) => g.fieldset), nothing);

  const element = h('fieldset', { class: 'tool-picker' },
    h('legend', null, 'Your tools'),
    h('div', { class: 'chosen' },
      h('p', { class: 'chosen-label', id: `${id}-chosen` }, 'Chosen', count),
      chips, none),
    h('div', { class: 'field' },
      h('label', { for: filter.id }, 'Find a tool'),
      filter,
      h('p', { class: 'hint', id: `${id}-help` },
        `${tools.length} tools by kind, in a list that scrolls. Type to narrow it; Enter adds the best match. `
        + 'The arrow keys move through the list and Space ticks a tool.')),
    options,
    status);

  function toggle(slug, on, { announce = true } = {}) {
    const at = chosen.indexOf(slug);
    if (on && at < 0) chosen.push(slug);
    if (!on && at >= 0) chosen.splice(at, 1);
    const box = boxes.get(slug);
    if (box) box.input.checked = on;
    drawChips();
    if (announce) say(`${nameOf(slug)} ${on ? 'added' : 'removed'}. ${chosenCount()}.`);
  }

  function nameOf(slug) {
    return bySlug.has(slug) ? bySlug.get(slug).name : slug;
  }

  function chosenCount() {
    return `${chosen.length} ${chosen.length === 1 ? 'tool' : 'tools'} chosen`;
  }

  function drawChips() {
    count.textContent = String(chosen.length);
    none.hidden = chosen.length > 0;
    chips.replaceChildren(...chosen.map((slug, i) => {
      const known = bySlug.has(slug);
      const button = h('button', { type: 'button', class: known ? 'chip-remove' : 'chip-remove chip-unknown' },
        h('span', { class: 'visually-hidden' }, 'Remove '), nameOf(slug),
        known ? null : h('span', { class: 'chip-note' }, ' (not in the catalog)'),
        h('span', { 'aria-hidden': 'true', class: 'chip-x' }, '×'));
      button.addEventListener('click', () => {
        toggle(slug, false);
        // Focus goes to the chip that took this one's place, or the filter.
        const next = chips.querySelectorAll('button')[Math.min(i, chosen.length - 1)];
        (next || filter).focus();
      });
      return h('li', null, button);
    }));
  }

  function say(text) {
    clearTimeout(announceTimer);
    status.textContent = text;
  }

  /** Shows the tools whose name contains the filter's text. */
  function applyFilter() {
    const text = filter.value.trim().toLowerCase();
    let shown = 0;
    for (const box of boxes.values()) {
      box.item.hidden = text !== '' && !box.key.includes(text);
      if (!box.item.hidden) shown++;
    }
    for (const g of groups) g.fieldset.hidden = g.slugs.every((slug) => boxes.get(slug).item.hidden);
    nothing.hidden = shown > 0;
    nothing.textContent = shown ? '' : `No tool is called “${filter.value.trim()}”. Try fewer letters.`;
    clearTimeout(announceTimer);
    if (text) {
      announceTimer = setTimeout(() => {
        status.textContent = shown ? `${shown} ${shown === 1 ? 'tool matches' : 'tools match'}.` : nothing.textContent;
      }, ANNOUNCE_MS);
    }
    return shown;
  }

  /** The tool Enter adds: a name equal to the text, then one starting with it, then any shown. */
  function bestMatch() {
    const text = filter.value.trim().toLowerCase();
    const shown = visibleBoxes();
    const rank = (box) => (box.key === text ? 0 : box.key.startsWith(text) ? 1 : box.key.split(/[^a-z0-9+#.]+/).some((w) => w.startsWith(text)) ? 2 : 3);
    let best = null;
    for (const box of shown) {
      if (!best || rank(box) < rank(best)) best = box;
    }
    return best;
  }

  function visibleBoxes() {
    return [...boxes.values()].filter((box) => !box.item.hidden);
  }

  filter.addEventListener('input', applyFilter);
  filter.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && filter.value.trim()) {
      event.preventDefault(); // Enter here picks a tool; it does not send the form
      const box = bestMatch();
      if (!box) return;
      if (box.input.checked) say(`${nameOf(box.input.value)} is chosen already. ${chosenCount()}.`);
      else toggle(box.input.value, true);
      filter.value = '';
      applyFilter();
    } else if (event.key === 'ArrowDown') {
      const first = visibleBoxes()[0];
      if (first) {
        event.preventDefault();
        first.input.focus();
      }
    }
  });
  options.addEventListener('keydown', (event) => {
    if (event.target.type !== 'checkbox') return;
    const shown = visibleBoxes().map((box) => box.input);
    const at = shown.indexOf(event.target);
    let next = null;
    if (event.key === 'ArrowDown') next = shown[at + 1];
    else if (event.key === 'ArrowUp') next = at > 0 ? shown[at - 1] : filter;
    else if (event.key === 'Home') next = shown[0];
    else if (event.key === 'End') next = shown[shown.length - 1];
    else if (event.key === 'Escape') next = filter;
    else return;
    event.preventDefault();
    if (next) next.focus();
  });

  drawChips();
  return { element, chosen: () => [...chosen] };
}

/** Tools in groups by category, in the labels' order, each by name. */
function groupByCategory(tools) {
  const order = (category) => {
    const i = CATEGORY_ORDER.indexOf(category);
    return i < 0 ? CATEGORY_ORDER.length : i;
  };
  const categories = [...new Set(tools.map((t) => t.category))].sort((a, b) => order(a) - order(b) || a.localeCompare(b));
  return categories.map((category) => ({
    category,
    items: tools.filter((t) => t.category === category).sort((a, b) => a.name.localeCompare(b.name)),
  }));
}
