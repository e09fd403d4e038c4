// Autocompletion: what may be typed at the cursor, from the schema. It walks
// the tokens before the cursor, keeping a stack of what each open bracket is
// (a selection set on some type, the arguments of a field, an input object,
// a list), so it can offer the fields of the right type, the arguments of
// the right field, or the values of an enum argument. It only reads the
// text; half-typed and invalid documents give fewer suggestions, never an
// error.

import { tokenize } from './graphql.js';
import { KIND_LABELS, namedType, listItemType, typeString } from './schema.js';

const WORD_BEFORE = /[_A-Za-z][_0-9A-Za-z]*$/;
const WORD_AFTER = /^[_0-9A-Za-z]*/;
const OPERATION_KEYWORDS = ['query', 'mutation', 'subscription'];

/**
 * Suggestions for the word at cursor: {from, to, items} where from..to is
 * the text a chosen item replaces and each item is {label, detail,
 * description, insert, deprecated}. Null when there is nothing to offer.
 * With explicit (the user asked, with Ctrl+Space) an empty word is fine;
 * otherwise suggestions only follow typing.
 */
export function completionsAt(schema, text, cursor, explicit = false) {
  const before = text.slice(0, cursor);
  const match = WORD_BEFORE.exec(before);
  const word = match ? match[0] : '';
  const from = cursor - word.length;
  if (!word && !explicit) return null;
  if (from > 0 && /[0-9.]/.test(text[from - 1])) return null; // part of a number

  const tokens = tokenize(text.slice(0, from));
  const last = tokens[tokens.length - 1];
  if (last && last.unterminated) return null; // inside a string
  if (last && last.kind === 'comment' && !text.slice(last.end, from).includes('\n')) return null;

  const found = locate(schema, tokens.filter((t) => t.kind !== 'comment'));
  const candidates = suggestions(schema, found);
  const items = rank(candidates, word);
  if (items.length === 0) return null;
  // A word already typed out in full needs no popup (and Enter should then
  // start a new line, not "accept" what is already there).
  if (!explicit && items.length === 1 && items[0].insert.trim() === word) return null;
  const to = cursor + WORD_AFTER.exec(text.slice(cursor))[0].length;
  return { from, to, items };
}

/** Prefix matches first, then names that merely contain the word. */
function rank(candidates, word) {
  const w = word.toLowerCase();
  const starts = [];
  const contains = [];
  for (const c of candidates) {
    const label = c.label.toLowerCase();
    if (label.startsWith(w)) starts.push(c);
    else if (w && label.includes(w)) contains.push(c);
  }
  return [...starts, ...contains];
}

/** Where the end of the tokens stands: the innermost context and the last two tokens. */
function locate(schema, tokens) {
  const stack = [{ kind: 'doc', operation: null, typeCondition: null }];
  let prev = null;
  let prev2 = null;
  for (const t of tokens) {
    const top = stack[stack.length - 1];
    const v = t.kind === 'punct' ? t.value : null;
    if (v === '{' || v === '(' || v === '[') {
      stack.push(opened(schema, v, top, prev, prev2));
    } else if (v === '}' || v === ')' || v === ']') {
      if (stack.length > 1) stack.pop();
      const outer = stack[stack.length - 1];
      if (outer.kind === 'doc' && v === '}') {
        outer.operation = null;
        outer.typeCondition = null;
      }
      if (outer.kind === 'args' || outer.kind === 'obj') outer.expectValue = false;
    } else {
      step(top, t, prev, prev2);
    }
    prev2 = prev;
    prev = t;
  }
  return { ctx: stack[stack.length - 1], prev, prev2 };
}

/** The context a bracket opens. */
function opened(schema, bracket, top, prev, prev2) {
  const p = prev ? prev.value : '';
  const p2 = prev2 ? prev2.value : '';
  const directive = p2 === '@' ? schema.directives.get(p) : null;
  if (bracket === '(') {
    if (top.kind === 'doc') return { kind: 'vars' };
    if (directive) return args(directive.args);
    if (top.kind === 'sel') {
      const field = schema.field(top.type, top.lastField);
      return args(field ? field.args : []);
    }
    return args([]);
  }
  const valueRef = currentRef(schema, top);
  if (bracket === '[') return { kind: 'list', ref: listItemType(valueRef) };
  // "{" opens a selection set, or an object value inside arguments.
  if (top.kind === 'doc') {
    const type = top.typeCondition ? schema.type(top.typeCondition)
      : schema.rootType(top.operation || 'query');
    return { kind: 'sel', type };
  }
  if (top.kind === 'sel') {
    if (p2 === 'on') return { kind: 'sel', type: schema.type(p) }; // ... on Role {
    if (p === '...') return { kind: 'sel', type: top.type };
    const field = schema.field(top.type, top.lastField);
    return { kind: 'sel', type: field ? schema.type(namedType(field.type)) : null };
  }
  return { kind: 'obj', type: schema.type(namedType(valueRef)), key: null, used: new Set(), expectValue: false };
}

function args(list) {
  return { kind: 'args', args: list, key: null, used: new Set(), expectValue: false };
}

/** The input type expected at the current value position of a context. */
function currentRef(schema, ctx) {
  if (ctx.kind === 'list') return ctx.ref;
  if (ctx.kind === 'args') {
    const arg = ctx.args.find((a) => a.name === ctx.key);
    return arg ? arg.type : null;
  }
  if (ctx.kind === 'obj' && ctx.type) {
    const field = ctx.type.inputFields.find((f) => f.name === ctx.key);
    return field ? field.type : null;
  }
  return null;
}

/** Updates a context for a token that opens and closes nothing. */
function step(ctx, t, prev, prev2) {
  const p = prev ? prev.value : '';
  const p2 = prev2 ? prev2.value : '';
  if (ctx.kind === 'doc' && t.kind === 'name') {
    if (p === 'on') ctx.typeCondition = t.value;
    else if (!ctx.operation && OPERATION_KEYWORDS.includes(t.value)) ctx.operation = t.value;
  } else if (ctx.kind === 'sel' && t.kind === 'name') {
    const partOfFragment = p === '...' || (p === 'on' && p2 === '...');
    if (p !== '@' && !partOfFragment) ctx.lastField = t.value; // an alias, then its field
  } else if (ctx.kind === 'args' || ctx.kind === 'obj') {
    if (t.value === ':') {
      ctx.expectValue = true;
    } else if (t.kind === 'name' && !ctx.expectValue && p !== '$' && p !== '@') {
      ctx.key = t.value;
      ctx.used.add(t.value);
    } else if (t.kind !== 'punct') {
      ctx.expectValue = false;
    }
  }
}

/** Everything that may come next, before matching the typed word. */
function suggestions(schema, { ctx, prev, prev2 }) {
  const p = prev ? prev.value : '';
  const p2 = prev2 ? prev2.value : '';
  if (p === '$') return [];
  if (p === '@') {
    return [...schema.directives.values()].map((d) => ({
      label: d.name, detail: 'directive', description: d.description, insert: d.name,
    }));
  }
  switch (ctx.kind) {
    case 'doc':
      if (p === 'on') return typeItems(schema, ['OBJECT', 'INTERFACE', 'UNION']);
      if (!prev || p === '}') {
        return [...OPERATION_KEYWORDS, 'fragment'].map((k) => ({ label: k, detail: 'keyword', insert: k }));
      }
      return [];
    case 'sel':
      if (p === '...') return [{ label: 'on', detail: 'keyword', insert: 'on ' }];
      if (p === 'on' && p2 === '...') return conditionItems(schema, ctx.type);
      return schema.selectableFields(ctx.type).map((f) => ({
        label: f.name,
        detail: typeString(f.type),
        description: f.description,
        deprecated: f.isDeprecated,
        insert: f.name,
      }));
    case 'args':
    case 'obj': {
      if (ctx.expectValue) return valueItems(schema, currentRef(schema, ctx));
      const fields = ctx.kind === 'args' ? ctx.args : ctx.type ? ctx.type.inputFields : [];
      return fields.filter((f) => !ctx.used.has(f.name)).map((f) => ({
        label: f.name,
        detail: typeString(f.type),
        description: f.description,
        insert: `${f.name}: `,
      }));
    }
    case 'list':
      return valueItems(schema, ctx.ref);
    case 'vars':
      if (p === ':' || p === '[') return typeItems(schema, ['SCALAR', 'ENUM', 'INPUT_OBJECT']);
      return [];
    default:
      return [];
  }
}

function typeItems(schema, kinds) {
  return schema.namedTypes().filter((t) => kinds.includes(t.kind)).map(typeItem);
}

/** Types an inline fragment on this type may name: its possible types, or itself and its interfaces. */
function conditionItems(schema, type) {
  if (!type) return typeItems(schema, ['OBJECT', 'INTERFACE', 'UNION']);
  const refs = type.kind === 'OBJECT' ? [type, ...type.interfaces] : type.possibleTypes;
  return refs.map((ref) => schema.type(ref.name)).filter(Boolean).map(typeItem);
}

function typeItem(t) {
  return { label: t.name, detail: KIND_LABELS[t.kind], description: t.description, insert: t.name };
}

/** Literal values a type accepts that are worth offering: enum values and booleans. */
function valueItems(schema, ref) {
  const type = schema.type(namedType(ref));
  if (!type) return [];
  if (type.kind === 'ENUM') {
    return type.enumValues.map((v) => ({
      label: v.name, detail: type.name, description: v.description, deprecated: v.isDeprecated, insert: v.name,
    }));
  }
  if (type.name === 'Boolean') {
    return ['true', 'false'].map((b) => ({ label: b, detail: 'Boolean', insert: b }));
  }
  return [];
}
