// A small, forgiving GraphQL lexer and the tools built on it: the formatter
// behind Prettify, the list of operations for the operation picker, and the
// token classes the editor colours. Nothing here touches the DOM, and nothing
// throws on bad input except prettify(): the editor calls the rest on every
// keystroke, half-typed documents included.

const PUNCTUATORS = new Set(['!', '$', '&', '(', ')', ':', '=', '@', '[', ']', '{', '|', '}']);
const CLOSER = { '(': ')', '[': ']', '{': '}' };
const NAME = /[_A-Za-z][_0-9A-Za-z]*/y;
const NUMBER = /-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const OPERATION_KEYWORDS = new Set(['query', 'mutation', 'subscription']);

/**
 * Splits a document into tokens. Commas, spaces and line breaks are not
 * tokens (GraphQL ignores them), but each token records whether a line break
 * or a blank line came before it, so the formatter can keep comments and
 * paragraphs where the author put them.
 *
 * A token is {kind, value, start, end, newlineBefore, blankLineBefore}, and
 * kind is one of name, punct, number, string, blockstring, comment, invalid.
 * A string that never closes gets unterminated: true and runs to the end of
 * its line (or of the document, for a block string).
 */
export function tokenize(src) {
  const tokens = [];
  const n = src.length;
  let i = 0;
  let newlines = 0;
  while (i < n) {
    const c = src[i];
    if (c === '\n') {
      newlines++;
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === ',' || c === '\uFEFF') {
      i++;
      continue;
    }
    const start = i;
    let kind = 'punct';
    let unterminated = false;
    if (c === '#') {
      kind = 'comment';
      while (i < n && src[i] !== '\n' && src[i] !== '\r') i++;
    } else if (src.startsWith('"""', i)) {
      kind = 'blockstring';
      unterminated = true;
      i += 3;
      while (i < n) {
        if (src.startsWith('\\"""', i)) {
          i += 4;
        } else if (src.startsWith('"""', i)) {
          i += 3;
          unterminated = false;
          break;
        } else {
          i++;
        }
      }
    } else if (c === '"') {
      kind = 'string';
      unterminated = true;
      i++;
      while (i < n && src[i] !== '\n' && src[i] !== '\r') {
        if (src[i] === '\\' && i + 1 < n && src[i + 1] !== '\n' && src[i + 1] !== '\r') {
          i += 2;
        } else if (src[i] === '"') {
          i++;
          unterminated = false;
          break;
        } else {
          i++;
        }
      }
    } else if (src.startsWith('...', i)) {
      i += 3;
    } else if (PUNCTUATORS.has(c)) {
      i++;
    } else if (matchAt(NAME, src, i)) {
      kind = 'name';
      i = NAME.lastIndex;
    } else if (matchAt(NUMBER, src, i)) {
      kind = 'number';
      i = NUMBER.lastIndex;
      // "12abc" or "1.2.3" is not a number followed by something else: keep
      // it whole so the formatter cannot split it into two valid tokens.
      if (i < n && /[_A-Za-z0-9.]/.test(src[i])) {
        kind = 'invalid';
        while (i < n && /[_A-Za-z0-9.]/.test(src[i])) i++;
      }
    } else {
      kind = 'invalid';
      i++;
    }
    const token = {
      kind,
      value: src.slice(start, i),
      start,
      end: i,
      newlineBefore: newlines > 0,
      blankLineBefore: newlines > 1,
    };
    if (unterminated) token.unterminated = true;
    tokens.push(token);
    newlines = 0;
  }
  return tokens;
}

function matchAt(re, src, i) {
  re.lastIndex = i;
  return re.test(src);
}

/** Line and column (both from 1) of an offset, for error messages. */
export function position(src, offset) {
  const before = src.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}

/**
 * The first thing that stops the document from being formatted safely: a
 * character GraphQL does not know, a string that never closes, or brackets
 * that do not pair up. Null when there is none.
 */
function problemIn(src, tokens) {
  const open = [];
  for (const t of tokens) {
    if (t.kind === 'invalid') return `Unexpected "${t.value}" at ${position(src, t.start)}.`;
    if (t.unterminated) return `The string at ${position(src, t.start)} is not closed.`;
    if (t.kind !== 'punct') continue;
    if (CLOSER[t.value]) {
      open.push(t);
    } else if (t.value === ')' || t.value === ']' || t.value === '}') {
      const opener = open.pop();
      if (!opener || CLOSER[opener.value] !== t.value) {
        return `Unexpected "${t.value}" at ${position(src, t.start)}.`;
      }
    }
  }
  if (open.length > 0) {
    const t = open[open.length - 1];
    return `The "${t.value}" at ${position(src, t.start)} is never closed.`;
  }
  return null;
}

/**
 * Re-indents a document: two spaces per level, one selection per line,
 * arguments and values on one line separated by ", ". Strings and comments
 * are copied as they are; a comment always ends its line, so no code is ever
 * pulled into one. Blank lines between selections are kept (one at most).
 *
 * Throws an Error with a readable message when the document cannot be
 * formatted without guessing (see problemIn); the text is then left alone.
 */
export function prettify(src) {
  const tokens = tokenize(src);
  const problem = problemIn(src, tokens);
  if (problem) throw new Error(problem);

  // Each open bracket is a context: the document itself, a selection set
  // ("sel"), arguments or variable definitions ("paren"), an object value
  // ("obj") or a list ("list"). Contexts decide what goes between tokens.
  const stack = [{ kind: 'doc' }];
  let out = '';
  let prev = null; // the last token written, comments aside
  let prev2 = null; // the one before it
  let afterComment = false;

  const write = (sep, token) => {
    if (sep.startsWith('\n')) {
      out = out.replace(/[ \t]+$/, '') + sep + '  '.repeat(stack.length - 1);
    } else {
      out += sep;
    }
    out += token.value;
  };

  for (const t of tokens) {
    if (t.kind === 'comment') {
      let sep = ' ';
      if (out === '') sep = '';
      else if (t.newlineBefore || afterComment) sep = t.blankLineBefore ? '\n\n' : '\n';
      write(sep, t);
      afterComment = true;
      continue;
    }

    const top = stack[stack.length - 1];
    let sep;
    if (t.kind === 'punct' && (t.value === ')' || t.value === ']' || t.value === '}')) {
      stack.pop();
      if (top.kind === 'sel') sep = '\n';
      else if (top.kind === 'obj') sep = prev === top.open ? '' : ' ';
      else sep = '';
      // The closed list or object was a whole value of the outer context.
      const outer = stack[stack.length - 1];
      if (outer.kind === 'paren' || outer.kind === 'obj') outer.expectValue = false;
    } else {
      sep = separator(t, top, prev, prev2);
    }

    if (afterComment) {
      sep = t.blankLineBefore ? '\n\n' : '\n';
    } else if (sep === '\n' && t.blankLineBefore && prev !== top.open) {
      sep = '\n\n';
    }
    write(sep, t);
    afterComment = false;

    if (t.kind === 'punct' && CLOSER[t.value]) {
      const kind = t.value === '(' ? 'paren'
        : t.value === '[' ? 'list'
        : top.kind === 'doc' || top.kind === 'sel' ? 'sel' : 'obj';
      stack.push({ kind, open: t, items: 0, expectValue: false });
    } else if (top.kind === 'paren' || top.kind === 'obj') {
      if (t.value === ':' || t.value === '=') top.expectValue = true;
      else if (t.kind !== 'punct') top.expectValue = false;
    }
    prev2 = prev;
    prev = t;
  }
  return out;
}

/** What goes before token t, which opens nothing and closes nothing here. */
function separator(t, ctx, prev, prev2) {
  const v = t.value;
  const isName = t.kind === 'name';
  if (!prev) return '';

  if (ctx.kind === 'doc') {
    if (prev.value === '}') return '\n\n'; // a definition ended
    if ((prev.kind === 'string' || prev.kind === 'blockstring') && t.newlineBefore) return '\n';
    if (v === '(' || v === ':' || v === '!') return '';
    if (prev.value === '@' || prev.value === '$') return '';
    return ' ';
  }

  if (ctx.kind === 'sel') {
    if (prev === ctx.open || v === '...') return '\n';
    if (isName || t.kind === 'string' || t.kind === 'blockstring') {
      if (prev.value === '@' || prev.value === '$') return '';
      if (prev.value === '...') return v === 'on' ? ' ' : '';
      if (prev.value === 'on' && prev2 && prev2.value === '...') return ' ';
      if (prev.value === ':' || prev.value === '=' || prev.value === '|' || prev.value === '&') return ' ';
      return '\n'; // a new selection (or, in SDL, a new field)
    }
    if (v === '(' || v === ':' || v === '!') return '';
    return ' ';
  }

  if (ctx.kind === 'list') {
    if (v === '!' || prev.value === '$') return '';
    const startsValue = t.kind !== 'punct' || v === '$' || v === '[' || v === '{';
    if (startsValue) return ctx.items++ > 0 ? ', ' : '';
    return ' ';
  }

  // paren (arguments, variable definitions) and obj (object values): items
  // are "name: value" or "$name: Type = default", separated by commas.
  const startsItem = (isName || v === '$') && !ctx.expectValue
    && prev.value !== '$' && prev.value !== '@';
  if (startsItem) {
    if (ctx.items++ > 0) return ', ';
    return ctx.kind === 'obj' ? ' ' : '';
  }
  if (prev === ctx.open) return ctx.kind === 'obj' ? ' ' : '';
  if (v === ':' || v === '!' || v === '(') return '';
  if (prev.value === '$' || prev.value === '@') return '';
  return ' ';
}

/**
 * The operations a document defines, in order: [{type, name}] where type is
 * query, mutation or subscription and name is null for an anonymous one.
 * Fragments and anything else at the top level are skipped.
 */
export function operations(src) {
  const tokens = tokenize(src).filter((t) => t.kind !== 'comment');
  const found = [];
  let depth = 0;
  let atDefinitionStart = true;
  tokens.forEach((t, i) => {
    if (depth === 0 && atDefinitionStart) {
      if (t.kind === 'name' && OPERATION_KEYWORDS.has(t.value)) {
        const next = tokens[i + 1];
        found.push({ type: t.value, name: next && next.kind === 'name' ? next.value : null });
      } else if (t.value === '{') {
        found.push({ type: 'query', name: null });
      }
      atDefinitionStart = false;
    }
    if (t.kind !== 'punct') return;
    if (CLOSER[t.value]) depth++;
    else if (t.value === ')' || t.value === ']' || t.value === '}') {
      depth = Math.max(0, depth - 1);
      if (depth === 0 && t.value === '}') atDefinitionStart = true;
    }
  });
  return found;
}

/**
 * A class for each token, for syntax colouring: keyword, def (an operation
 * or fragment name), type, variable, directive, attr (argument, alias or
 * object field name), atom (enum value, true, false, null), field, string,
 * number, comment, punct or invalid.
 */
export function classify(tokens) {
  const classes = [];
  // The brackets open so far, as contexts: sel (selection set), obj (object
  // value), paren (arguments or variable definitions) and list.
  const open = [];
  let prev = null;
  let prev2 = null;
  tokens.forEach((t, i) => {
    let cls = t.kind;
    if (t.kind === 'blockstring') cls = 'string';
    if (t.kind === 'punct') {
      const v = t.value;
      if (v === '$') cls = 'variable';
      else if (v === '@') cls = 'directive';
      else if (v === '(') open.push('paren');
      else if (v === '[') open.push('list');
      else if (v === '{') {
        const outer = open[open.length - 1];
        open.push(outer === undefined || outer === 'sel' ? 'sel' : 'obj');
      } else if (v === ')' || v === ']' || v === '}') open.pop();
    } else if (t.kind === 'name') {
      cls = nameClass(t.value, tokens[i + 1], prev, prev2, open);
    }
    classes.push(cls);
    if (t.kind !== 'comment') {
      prev2 = prev;
      prev = t;
    }
  });
  return classes;
}

function nameClass(v, next, prev, prev2, open) {
  const p = prev ? prev.value : '';
  const p2 = prev2 ? prev2.value : '';
  if (p === '$') return 'variable';
  if (p === '@') return 'directive';
  const ctx = open[open.length - 1];
  if (ctx === undefined) {
    if (OPERATION_KEYWORDS.has(v) || v === 'fragment') return 'keyword';
    if (v === 'on' && p2 === 'fragment') return 'keyword';
    if (p === 'on') return 'type';
    if (OPERATION_KEYWORDS.has(p) || p === 'fragment') return 'def';
    return 'field';
  }
  if (ctx === 'sel') {
    if (v === 'on' && p === '...') return 'keyword';
    if (p === 'on' && p2 === '...') return 'type';
    if (next && next.value === ':') return 'attr'; // an alias
    return 'field';
  }
  if (next && next.value === ':') return 'attr';
  // Inside variable definitions (a parenthesis at the top level), a name
  // after ":" or "[" is a type; elsewhere it is a value.
  if (open[0] === 'paren' && (p === ':' || p === '[')) return 'type';
  return 'atom';
}
