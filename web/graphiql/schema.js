// The schema as the server describes it through introspection, and the few
// questions the docs explorer and the autocompletion ask of it.

const TYPE_REF = `kind name ofType { kind name ofType { kind name ofType { kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } }`;

/** The standard introspection query (as GraphiQL sends it, minus newer fields). */
export const INTROSPECTION_QUERY = `query IntrospectionQuery {
  __schema {
    queryType { name }
    mutationType { name }
    subscriptionType { name }
    types { ...FullType }
    directives {
      name
      description
      locations
      args { ...InputValue }
    }
  }
}

fragment FullType on __Type {
  kind
  name
  description
  fields(includeDeprecated: true) {
    name
    description
    args { ...InputValue }
    type { ...TypeRef }
    isDeprecated
    deprecationReason
  }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) {
    name
    description
    isDeprecated
    deprecationReason
  }
  possibleTypes { ...TypeRef }
}

fragment InputValue on __InputValue {
  name
  description
  type { ...TypeRef }
  defaultValue
}

fragment TypeRef on __Type {
  ${TYPE_REF}
}`;

/**
 * Wraps the __schema of an introspection result. Types are kept as the
 * server sent them; lists the server leaves null (fields of an enum, say)
 * become empty lists so callers need not check.
 */
export class Schema {
  constructor(raw) {
    this.queryType = raw.queryType ? raw.queryType.name : null;
    this.mutationType = raw.mutationType ? raw.mutationType.name : null;
    this.subscriptionType = raw.subscriptionType ? raw.subscriptionType.name : null;
    this.types = new Map();
    for (const t of raw.types || []) {
      this.types.set(t.name, {
        ...t,
        fields: t.fields || [],
        inputFields: t.inputFields || [],
        interfaces: t.interfaces || [],
        enumValues: t.enumValues || [],
        possibleTypes: t.possibleTypes || [],
      });
    }
    this.directives = new Map((raw.directives || []).map((d) => [d.name, { ...d, args: d.args || [] }]));
  }

  type(name) {
    return name ? this.types.get(name) || null : null;
  }

  /** The root type of an operation type: query, mutation or subscription. */
  rootType(operation) {
    const name = operation === 'mutation' ? this.mutationType
      : operation === 'subscription' ? this.subscriptionType
      : this.queryType;
    return this.type(name);
  }

  /** A field of a type by name, including the implicit __typename. */
  field(type, name) {
    if (!type || !name) return null;
    if (name === '__typename') return TYPENAME_FIELD;
    return type.fields.find((f) => f.name === name) || null;
  }

  /** The fields a selection set on this type may ask for. */
  selectableFields(type) {
    if (!type || !['OBJECT', 'INTERFACE', 'UNION'].includes(type.kind)) return [];
    return [...type.fields, TYPENAME_FIELD];
  }

  /** Types defined by the API, without the introspection ones, by name. */
  namedTypes() {
    return [...this.types.values()]
      .filter((t) => !t.name.startsWith('__'))
      .sort((a, b) => a.name.localeCompare(b.name));
  }
}

const TYPENAME_FIELD = {
  name: '__typename',
  description: 'The name of the object type at this place in the response.',
  args: [],
  type: { kind: 'NON_NULL', name: null, ofType: { kind: 'SCALAR', name: 'String', ofType: null } },
  isDeprecated: false,
  deprecationReason: null,
};

/** The named type inside any list and non-null wrappers. */
export function namedType(ref) {
  let t = ref;
  while (t && t.ofType) t = t.ofType;
  return t ? t.name : null;
}

/** The type one list level down: [Role!]! gives Role!. Null if not a list. */
export function listItemType(ref) {
  let t = ref;
  if (t && t.kind === 'NON_NULL') t = t.ofType;
  return t && t.kind === 'LIST' ? t.ofType : null;
}

/** GraphQL notation of a type reference, such as [RoleEdge!]!. */
export function typeString(ref) {
  if (!ref) return '';
  if (ref.kind === 'NON_NULL') return `${typeString(ref.ofType)}!`;
  if (ref.kind === 'LIST') return `[${typeString(ref.ofType)}]`;
  return ref.name;
}

/** How the docs name each kind of type. */
export const KIND_LABELS = {
  OBJECT: 'object type',
  INTERFACE: 'interface',
  UNION: 'union',
  ENUM: 'enum',
  INPUT_OBJECT: 'input type',
  SCALAR: 'scalar',
};
