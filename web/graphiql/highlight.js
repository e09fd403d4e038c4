// Syntax colouring for GraphQL and JSON, and `code` spans in schema
// descriptions, built as DOM nodes (text nodes and elements), never as HTML
// strings: queries, responses and descriptions are user and server text,
// and must not be able to inject markup.

import { tokenize, classify } from './graphql.js';

/** A fragment showing src with each token in a <span class="tok-{class}">. */
function render(src, tokens, classes) {
  const fragment = document.createDocumentFragment();
  let at = 0;
  tokens.forEach((t, i) => {
    if (t.start > at) fragment.append(src.slice(at, t.start));
    const span = document.createElement('span');
    span.className = `tok-${classes[i]}`;
    span.textContent = src.slice(t.start, t.end);
    fragment.append(span);
    at = t.end;
  });
  if (at < src.length) fragment.append(src.slice(at));
  return fragment;
}

export function highlightGraphQL(src) {
  const tokens = tokenize(src);
  return render(src, tokens, classify(tokens));
}

export function highlightJSON(src) {
  const tokens = tokenizeJSON(src);
  const classes = tokens.map((t, i) => {
    if (t.kind !== 'string') return t.kind;
    const next = tokens[i + 1];
    return next && next.value === ':' ? 'attr' : 'string'; // an object key
  });
  return render(src, tokens, classes);
}

/**
 * Appends text to parent with each `backticked` part as a <code>, the one
 * bit of Markdown schema descriptions use.
 */
export function appendWithCode(parent, text) {
  const parts = text.split('`');
  // An odd number of backticks leaves the last one unpaired: keep it as text.
  const unpaired = parts.length % 2 === 0 ? parts.length - 1 : -1;
  parts.forEach((part, i) => {
    if (i === unpaired) {
      parent.append(`\`${part}`);
    } else if (i % 2 === 1) {
      const code = document.createElement('code');
      code.textContent = part;
      parent.append(code);
    } else {
      parent.append(part);
    }
  });
  return parent;
}

const JSON_NUMBER = /-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const JSON_WORD = /[A-Za-z_][A-Za-z0-9_]*/y;

/** Tokens of (possibly invalid) JSON: string, number, atom, punct, invalid. */
function tokenizeJSON(src) {
  const tokens = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === ' ' || c === '\n' || c === '\r' || c === '\t') {
      i++;
      continue;
    }
    const start = i;
    let kind;
    if (c === '"') {
      kind = 'string';
      i++;
      while (i < src.length && src[i] !== '\n') {
        if (src[i] === '\\') i += 2;
        else if (src[i++] === '"') break;
      }
      i = Math.min(i, src.length);
    } else if ('{}[]:,'.includes(c)) {
      kind = 'punct';
      i++;
    } else if (sticky(JSON_NUMBER, src, i)) {
      kind = 'number';
      i = JSON_NUMBER.lastIndex;
    } else if (sticky(JSON_WORD, src, i)) {
      i = JSON_WORD.lastIndex;
      const word = src.slice(start, i);
      kind = word === 'true' || word === 'false' || word === 'null' ? 'atom' : 'invalid';
    } else {
      kind = 'invalid';
      i++;
    }
    tokens.push({ kind, value: src.slice(start, i), start, end: i });
  }
  return tokens;
}

function sticky(re, src, i) {
  re.lastIndex = i;
  return re.test(src);
}
