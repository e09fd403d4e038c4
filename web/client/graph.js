// A role's neighbourhood as a small graph: the role in the centre, its
// related roles around it, an edge per relation styled by its kind (colour,
// dash and arrow, so it reads without colour too), and a legend. Every node
// is a link. Built with DOM APIs, redrawn to fit its width: a ring on wide
// screens, a fan (the role on the left, the others in a column) on narrow
// ones, so labels stay readable without sideways scrolling.

import { h, rolePath, s } from './dom.js';
import { RELATION_ORDER, relationLabel } from './labels.js';

const FONT = 14; // px, as the labels are drawn
const CHAR = 7.6; // a generous average character width at FONT
const LINE = 18;
const PAD_X = 12;
const PAD_Y = 8;
const WRAP = 18; // characters per label line
const NARROW = 600; // px: below this width, the fan layout

// Which way an arrow points, as seen from the role in the centre.
const ARROW = {
  NEXT_STEP: 'out',
  SPECIALIZATION_OF: 'out', // towards the broader role
  PREVIOUS_STEP: 'in',
  GENERALIZATION_OF: 'in',
};

let graphs = 0;

/** A <figure> with the graph and its legend; relations are role.relatedRoles. */
export function neighbourhood(role, relations) {
  const id = `graph-${++graphs}`;
  const sorted = RELATION_ORDER.flatMap((kind) => relations.filter((r) => r.kind === kind));
  const holder = h('div', { class: 'graph-canvas' });
  const figure = h('figure', { class: 'graph' },
    holder,
    h('figcaption', null, legend(sorted)));
  let width = 0;
  const draw = () => {
    const w = Math.round(holder.clientWidth);
    if (!w || w === width) return;
    width = w;
    holder.replaceChildren(drawGraph(id, role, sorted, w));
  };
  // Drawn once the figure is on the page and knows its width, and again
  // whenever that width changes.
  if (typeof ResizeObserver === 'function') new ResizeObserver(draw).observe(holder);
  else requestAnimationFrame(draw);
  return figure;
}

function drawGraph(id, role, relations, width) {
  const others = relations.map((r) => node(r.role.title, WRAP));
  const layout = width < NARROW ? fan(width, role.title, others) : ring(width, node(role.title, WRAP, true), others);

  const svg = s('svg', {
    class: 'graph-svg', viewBox: `0 0 ${layout.width} ${layout.height}`,
    width: layout.width, height: layout.height,
    role: 'group', 'aria-labelledby': `${id}-title`, 'aria-describedby': `${id}-desc`,
  },
  s('title', { id: `${id}-title` }, `${role.title} and its related roles`),
  s('desc', { id: `${id}-desc` }, `${relations.length} related roles. Each is a link; the list below the graph gives the same roles with a note on each.`),
  markers(id));

  const edges = s('g', { class: 'edges', 'aria-hidden': 'true' });
  relations.forEach((r, i) => edges.append(edge(id, r.kind, layout.centre, layout.nodes[i], layout.fan)));
  svg.append(edges);

  svg.append(nodeLink(rolePath(role.slug), layout.centre, 'node node-self', `${role.title} (this role)`, 'page'));
  relations.forEach((r, i) => svg.append(nodeLink(rolePath(r.role.slug), layout.nodes[i],
    `node kind-${r.kind.toLowerCase()}`, `${r.role.title}: ${relationLabel(r.kind).toLowerCase()}`)));
  return svg;
}

/** A node's label in lines, and the box they need. */
function node(title, wrap, bold = false) {
  const lines = [];
  for (const word of title.split(/\s+/)) {
    const last = lines[lines.length - 1];
    if (last && (last + ' ' + word).length <= wrap) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  const longest = Math.max(...lines.map((l) => textWidth(l, bold)));
  return { lines, w: Math.ceil(longest + 2 * PAD_X), h: lines.length * LINE + 2 * PAD_Y };
}

let measure = null;

/** The width of a label as drawn, measured on a canvas (a guess without one). */
function textWidth(text, bold) {
  if (measure === null) {
    measure = document.createElement('canvas').getContext('2d') || false;
  }
  if (!measure) return text.length * CHAR;
  measure.font = `${bold ? 'bold ' : ''}${FONT}px ${getComputedStyle(document.body).fontFamily}`;
  return measure.measureText(text).width;
}

/** The role in the middle, the others on an ellipse around it. */
function ring(width, centre, others) {
  const n = others.length;
  const height = Math.max(300, Math.min(520, 160 + n * 28));
  const maxW = Math.max(centre.w, ...others.map((o) => o.w));
  const cx = width / 2;
  const cy = height / 2;
  const rx = cx - maxW / 2 - 6;
  const ry = cy - 30;
  return {
    width, height,
    centre: { ...centre, x: cx, y: cy },
    nodes: others.map((o, i) => {
      const angle = -Math.PI / 2 + (2 * Math.PI * i) / n;
      return { ...o, x: cx + rx * Math.cos(angle), y: cy + ry * Math.sin(angle) };
    }),
  };
}

/** The role on the left, the others in a column on the right. */
function fan(width, title, others) {
  const gap = 10;
  const column = Math.min(Math.max(...others.map((o) => o.w)), width * 0.55);
  // The centre's label wraps to the room the column leaves it.
  const centre = node(title, Math.max(8, Math.floor((width - column - 48 - 2 * PAD_X) / CHAR)), true);
  const height = others.reduce((sum, o) => sum + o.h + gap, gap);
  let y = gap;
  const nodes = others.map((o) => {
    const placed = { ...o, w: column, x: width - column / 2 - 2, y: y + o.h / 2 };
    y += o.h + gap;
    return placed;
  });
  return { width, height, fan: true, centre: { ...centre, x: centre.w / 2 + 2, y: height / 2 }, nodes };
}

function nodeLink(href, n, className, label, current) {
  const text = s('text', { x: n.x, y: n.y - ((n.lines.length - 1) * LINE) / 2, 'text-anchor': 'middle', 'dominant-baseline': 'central' },
    n.lines.map((line, i) => s('tspan', { x: n.x, dy: i === 0 ? 0 : LINE }, line)));
  return s('a', { href, class: className, 'aria-label': label, 'aria-current': current || null },
    s('rect', { x: n.x - n.w / 2, y: n.y - n.h / 2, width: n.w, height: n.h, rx: 8 }),
    text);
}

/**
 * An edge from the centre's box to the node's, with an arrow if the kind has
 * a direction: a straight line in the ring, a curve from side to side in the
 * fan (so that no edge crosses another node).
 */
function edge(id, kind, from, to, curved) {
  const arrow = ARROW[kind];
  const marker = `url(#${id}-arrow-${kind.toLowerCase()})`;
  let d;
  if (curved) {
    const x1 = from.x + from.w / 2 + 3;
    const x2 = to.x - to.w / 2 - 3;
    const mid = (x1 + x2) / 2;
    d = `M${x1},${from.y} C${mid},${from.y} ${mid},${to.y} ${x2},${to.y}`;
  } else {
    const a = boxExit(from, to, 3);
    const b = boxExit(to, from, 3);
    d = `M${a.x},${a.y} L${b.x},${b.y}`;
  }
  return s('path', {
    class: `edge kind-${kind.toLowerCase()}`, d,
    'marker-end': arrow === 'out' ? marker : null,
    'marker-start': arrow === 'in' ? marker : null,
  });
}

/** Where the line from box's centre towards other leaves box, plus a gap. */
function boxExit(box, other, gap) {
  const dx = other.x - box.x;
  const dy = other.y - box.y;
  const t = Math.min(dx ? (box.w / 2 + gap) / Math.abs(dx) : Infinity, dy ? (box.h / 2 + gap) / Math.abs(dy) : Infinity);
  return { x: box.x + dx * t, y: box.y + dy * t };
}

function markers(id) {
  return s('defs', null, Object.keys(ARROW).map((kind) => s('marker', {
    id: `${id}-arrow-${kind.toLowerCase()}`, class: `arrow kind-${kind.toLowerCase()}`,
    viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse',
  }, s('path', { d: 'M0,0 L10,5 L0,10 z' }))));
}

// The legend's words: arrows run the way a career does, towards the broader role.
const LEGEND = {
  COLLABORATES_WITH: 'Works with',
  OVERLAPS_WITH: 'Overlaps with',
  NEXT_STEP: 'Next step (this role leads to it)',
  PREVIOUS_STEP: 'Step before (it leads to this role)',
  SPECIALIZATION_OF: 'Broader role (this role specialises it)',
  GENERALIZATION_OF: 'Specialisation (it specialises this role)',
};

/** What each kind of line means, for the kinds the graph shows. */
function legend(relations) {
  const kinds = RELATION_ORDER.filter((kind) => relations.some((r) => r.kind === kind));
  return h('ul', { class: 'legend', 'aria-label': 'Legend' }, kinds.map((kind) => h('li', null,
    s('svg', { class: 'legend-line', viewBox: '0 0 36 10', width: 36, height: 10, 'aria-hidden': 'true' },
      s('line', { class: `edge kind-${kind.toLowerCase()}`, x1: 2, y1: 5, x2: ARROW[kind] ? 28 : 34, y2: 5 }),
      ARROW[kind] ? s('path', { class: `arrow-head kind-${kind.toLowerCase()}`, d: 'M27,1 L35,5 L27,9 z' }) : null),
    LEGEND[kind] || relationLabel(kind))));
}
