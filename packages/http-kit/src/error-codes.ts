// Every code an error answer of either app can carry: its status (or statuses) and what it tells a
// client. The error handler and HttpError take their codes from here, and the contract's table of
// errors (docs/contract.md) is generated from it by `pnpm docs:render`: a code cannot be answered
// without being listed, nor listed without being answerable.
import type { DomainErrorCode } from "@cart/domain";

export interface ErrorCodeInfo {
  /** The statuses it comes with: one, except where one mistake is a 400 in a query and a 404 in a path. */
  readonly status: readonly number[];
  /** What it tells a client, for the contract's table. */
  readonly meaning: string;
}

/** The domain's codes: the shop's rules, whichever app enforces them. */
const DOMAIN_CODES = {
  UNKNOWN_SKU: { status: [400], meaning: "no such product in the catalog" },
  INVALID_QUANTITY: { status: [400], meaning: "not a whole number 1..99 (0..99 for PATCH, where 0 removes the line)" },
  BAD_CREDENTIALS: { status: [401], meaning: "unknown username or wrong password" },
  NOT_IN_CART: { status: [404], meaning: "the cart has no line for that product" },
  QUANTITY_LIMIT: { status: [409], meaning: "a line would hold more than 99" },
  CART_FULL: { status: [409], meaning: "more than 20 different products" },
  EMPTY_CART: { status: [409], meaning: "an empty cart cannot be checked out" },
  INSUFFICIENT_CREDIT: {
    status: [409],
    meaning: "the order costs more than the store credit: nothing charged, the cart kept",
  },
  UNSUPPORTED_IMAGE: { status: [415], meaning: "an upload whose bytes are not a PNG, JPEG or WebP" },
  AVATAR_TOO_LARGE: { status: [413], meaning: "an image over 1 MB" },
  NO_AVATAR: { status: [404], meaning: "no picture for that user (stateful: it says whose disk it looked on)" },
  NO_ORDER: { status: [404], meaning: "not one of your orders (stateful: it says which server looked)" },
  STORE_UNAVAILABLE: {
    status: [503],
    meaning: "stateless: Redis, PostgreSQL or object storage did not answer within 1 s; `/readyz`: a store is down",
  },
} as const satisfies Record<DomainErrorCode, ErrorCodeInfo>;

/** The edge's codes: who is calling, and what they sent. */
const EDGE_CODES = {
  VALIDATION_FAILED: { status: [400], meaning: "wrong shape or types, unknown keys such as `__proto__`" },
  MALFORMED_JSON: { status: [400], meaning: "the body is not valid JSON" },
  MALFORMED_URL: { status: [400], meaning: "a path such as `/cart/items/%E0%A4%A` whose percent-escape is not UTF-8" },
  MALFORMED_BODY: { status: [400], meaning: "a body that does not match its `Content-Encoding`" },
  MALFORMED_REQUEST: { status: [400], meaning: "not valid HTTP/1.1" },
  MISSING_HOST: { status: [400], meaning: "HTTP/1.1 without `Host`" },
  REQUEST_ABORTED: { status: [400], meaning: "the client gave up while sending the body" },
  BAD_HANDSHAKE: { status: [400], meaning: "a WebSocket handshake without version 13 and a key" },
  UNKNOWN_USER: {
    status: [400, 404],
    meaning: "no such user: 400 in `/chat/history?with=`, 404 in `/users/:id/avatar`",
  },
  NOT_LOGGED_IN: { status: [401], meaning: "no session cookie or token" },
  UNKNOWN_SESSION: {
    status: [401],
    meaning: "stateful: this server does not know the session (it lives only in the memory of the server that made it)",
  },
  INVALID_TOKEN: { status: [401], meaning: "stateless: a token that is not ours, or not well formed" },
  TOKEN_EXPIRED: { status: [401], meaning: "stateless: the token's `exp` has passed" },
  SESSION_ENDED: {
    status: [401],
    meaning: "stateless: a valid token whose session has ended (logged out on any server, or expired)",
  },
  CROSS_SITE_REQUEST: {
    status: [403],
    meaning: "a request from another site's page that would change something (see [SECURITY.md](../SECURITY.md))",
  },
  NOT_FOUND: { status: [404], meaning: "no such route" },
  REQUEST_TIMEOUT: { status: [408], meaning: "the request took too long to arrive" },
  BODY_TOO_LARGE: { status: [413], meaning: "a JSON body over 10 kB, or chunk extensions larger than Node accepts" },
  URL_TOO_LONG: { status: [414], meaning: "a URL longer than a layer below the routes accepts" },
  UNSUPPORTED_MEDIA_TYPE: { status: [415], meaning: "a body that is not `application/json` (or not UTF-8)" },
  EXPECTATION_FAILED: { status: [417], meaning: "an `Expect` other than `100-continue`" },
  UPGRADE_REQUIRED: { status: [426], meaning: "`GET /chat` without `Upgrade: websocket`" },
  TOO_MANY_ATTEMPTS: {
    status: [429],
    meaning:
      "too many failed logins for that username or from that address in the window; `Retry-After` says when to try again",
  },
  HEADERS_TOO_LARGE: { status: [431], meaning: "headers over Node's 16 kB limit" },
  INTERNAL: { status: [500], meaning: "a bug of ours: the details are in the server's log, never in the answer" },
} as const satisfies Record<string, ErrorCodeInfo>;

export const ERROR_CODES = { ...DOMAIN_CODES, ...EDGE_CODES } as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The statuses `code` may be answered with. */
export type StatusOf<C extends ErrorCode> = (typeof ERROR_CODES)[C]["status"][number];

/** The codes that come with `status`. */
export type CodeWithStatus<S extends number> = {
  [C in ErrorCode]: S extends StatusOf<C> ? C : never;
}[ErrorCode];
