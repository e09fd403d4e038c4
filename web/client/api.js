// The Finder's one way to the server: POST /graphql with the same queries
// any client could send. Errors become ApiError with the server's own
// messages, which are sentences written for people.

const ENDPOINT = '/graphql';
const CACHE_MS = 5 * 60 * 1000;

/** A request that failed; message is fit to show as it is. */
export class ApiError extends Error {
  constructor(message, { errors = [], status = 0 } = {}) {
    super(message);
    this.name = 'ApiError';
    this.errors = errors;
    this.status = status;
  }

  /** The first error about an argument, by its name. */
  fieldError(field) {
    return this.errors.find((err) => err.extensions && err.extensions.field === field) || null;
  }

  /** The message of the first error about an argument, by its name. */
  fieldMessage(field) {
    return this.fieldError(field)?.message ?? null;
  }
}

/** Sends a query or mutation and answers its data; throws ApiError. */
export async function gql(query, variables = {}, { signal } = {}) {
  const { data, errors } = await gqlWithErrors(query, variables, { signal });
  if (errors.length > 0) throw errorOf(errors);
  return data;
}

/**
 * Like gql, for fields that answer beside their errors (matchRoles leaves
 * out unknown tools and says so): answers { data, errors }, errors as the
 * API gave them, maybe none. Throws ApiError only when there is no data.
 */
export async function gqlWithErrors(query, variables = {}, { signal } = {}) {
  let res;
  try {
    res = await fetch(ENDPOINT, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ query, variables }),
      signal,
    });
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    throw new ApiError('We could not reach the Finder. Check your connection, then try again.');
  }
  let body;
  try {
    body = await res.json();
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    throw new ApiError(`The Finder answered with an error (HTTP ${res.status}). Please try again in a moment.`, { status: res.status });
  }
  const errors = Array.isArray(body.errors) ? body.errors : [];
  if (res.ok && body.data) return { data: body.data, errors };
  if (errors.length > 0) throw errorOf(errors, res.status);
  throw new ApiError(`The Finder answered with an error (HTTP ${res.status}). Please try again in a moment.`, { status: res.status });
}

/** One ApiError for the API's errors, their messages joined. */
function errorOf(errors, status = 200) {
  const messages = [...new Set(errors.map((e) => e.message).filter(Boolean))];
  return new ApiError(messages.join(' ') || 'The Finder could not answer.', { errors, status });
}

// Answers of read queries, kept for a few minutes so that going back to a
// page shows it at once. Only successes are kept.
const answers = new Map();

/** Like gql, for read queries, remembering the answer for a while. */
export async function cachedGql(query, variables = {}, options = {}) {
  const key = JSON.stringify([query, variables]);
  const hit = answers.get(key);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.data;
  const data = await gql(query, variables, options);
  answers.set(key, { at: Date.now(), data });
  return data;
}

const ROLES = `query AllRoles($after: String) {
  roles(first: 100, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { slug title family tagline tools { slug name } }
  }
}`;

/** Every role, in title order: pages of 100 until the last. */
export function allRoles(options) {
  return allPages(ROLES, 'roles', options);
}

const TOOLS = `query AllTools($after: String) {
  tools(first: 100, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { slug name category }
  }
}`;

/** Every tool of the catalog: pages of 100 until the last. */
export function allTools(options) {
  return allPages(TOOLS, 'tools', options);
}

/** Every node of a connection, following endCursor (20 pages at most). */
async function allPages(query, field, options) {
  const nodes = [];
  let after = null;
  for (let page = 0; page < 20; page++) {
    const { [field]: conn } = await cachedGql(query, { after }, options);
    nodes.push(...conn.nodes);
    if (!conn.pageInfo.hasNextPage) break;
    after = conn.pageInfo.endCursor;
  }
  return nodes;
}
