// Each rule: what it must find, and what it must not (a name alone is no finding: the rules follow
// where a value was imported from), and the annotation that silences a place per-server by design.
import { Linter, RuleTester } from "eslint";
import { join } from "node:path";
import tseslint from "typescript-eslint";
import plugin, { RULES } from "../src";

const tester = new RuleTester({ languageOptions: { parser: tseslint.parser, sourceType: "module" } });

describe("sessions-in-memory", () => {
  tester.run("sessions-in-memory", RULES["sessions-in-memory"], {
    valid: [
      `import session from "express-session"; import { RedisStore } from "connect-redis"; session({ store: new RedisStore({ client }) });`,
      `const session = require("express-session"); session({ store: shared, secret: "s" });`,
      // Options made elsewhere cannot be read here: no guess.
      `import session from "express-session"; session(options);`,
      // Not express-session's: a function and a class of the file's own, of the same names.
      `function session(o) { return o; } session({ secret: "s" }); class MemoryStore {} new MemoryStore();`,
      `import { MemoryStore } from "./my-store"; new MemoryStore();`,
      // Spread from elsewhere: the store may be in it.
      `import session from "express-session"; session({ ...base, secret: "s" });`,
      `// state-audit: per-server: a demo that runs on one server only
       import session from "express-session"; session({ secret: "s" });`,
    ],
    invalid: [
      {
        code: `import session from "express-session"; app.use(session({ secret: "s" }));`,
        errors: [{ messageId: "found" }],
      },
      { code: `const session = require("express-session"); app.use(session());`, errors: [{ messageId: "found" }] },
      // express-session's own README: the options in a variable of the file.
      {
        code: `const session = require("express-session"); const sess = { secret: "keyboard cat" }; app.use(session(sess));`,
        errors: [{ messageId: "found" }],
      },
      // An annotation after another line's code is that line's: it silences nothing below it.
      {
        code: `import session from "express-session";
const a = session({ store }); // state-audit: per-server: x
const b = session({ secret: "s" });`,
        errors: [{ messageId: "found", line: 3 }],
      },
      {
        code: `import * as session from "express-session"; session({ store: new session.MemoryStore() });`,
        errors: [{ messageId: "found" }],
      },
      {
        code: `import { MemoryStore as Sessions } from "express-session"; const store = new Sessions();`,
        errors: [{ messageId: "found" }],
      },
      {
        code: `const { MemoryStore } = require("express-session");\n// state-audit: per-server: tests only\nnew MemoryStore();`,
        options: [{ reportAnnotated: true }],
        errors: [{ messageId: "perServer" }],
      },
    ],
  });
});

describe("collections-in-memory", () => {
  tester.run("collections-in-memory", RULES["collections-in-memory"], {
    valid: [
      // Built once and only read; a client of a store (its calls are the store's); a request's own Set.
      `const PRICES = new Map([["coke", 199]]); app.get("/p", (req, res) => res.json(PRICES.get(req.query.sku)));`,
      `const redis = createClient(); app.post("/c", async (req, res) => { await redis.set("k", "v"); res.end(); });`,
      `app.get("/k", (req, res) => { const seen = new Set(); seen.add(1); res.json(seen.size); });`,
      // Not served: a client's chunks, in the function that makes the request.
      `function fetchAll(res) { const chunks = []; res.on("data", (c) => chunks.push(c)); }`,
      // A Map's get is not a route.
      `const cache = new Map(); function f(k) { return cache.get(k); }`,
      // A URL fetched is not a route: the chunks are the download's own.
      `function download(url) { const chunks = []; https.get(url, (res) => res.on("data", (c) => chunks.push(c))); }`,
      // A class of the file's own named Map.
      `class Map { set() {} } const m = new Map(); app.post("/x", () => m.set());`,
      // An object a request makes for itself; a class no one makes; one written only as it is made.
      `class Carts { constructor() { this.m = new Map(); } add(u) { this.m.set(u, 1); } }
       app.post("/q", (req) => { const c = new Carts(); c.add(req.user); });`,
      `class Carts { constructor() { this.m = new Map(); } add(u) { this.m.set(u, 1); } } export { Carts };`,
      `class Catalog { constructor() { this.bySku = new Map(); this.bySku.set("a", 1); } price(s) { return this.bySku.get(s); } }
       const catalog = new Catalog();`,
      `function prices() { const m = new Map([["a", 1]]); return (s) => m.get(s); } const price = prices();`,
      // A request's own object, made in a handler given through a wrapper.
      `import express from "express"; import asyncHandler from "express-async-handler";
       class CartView { lines = []; add(s) { this.lines.push(s); } }
       export function createApp() {
         const app = express();
         app.post("/q", asyncHandler(async (req, res) => { const v = new CartView(); v.add(req.body.sku); res.json(v.lines); }));
         return app;
       }`,
      // Filled as the app starts (forEach runs now), only read while serving.
      `import express from "express";
       function createApp(config) {
         const app = express();
         const allowed = new Set();
         config.origins.forEach((origin) => allowed.add(origin));
         app.use((req, res, next) => (allowed.has(req.headers.origin) ? next() : res.status(403).end()));
         return app;
       }
       const app = createApp({ origins: [] });`,
      // A function of another module a route calls, which only reads a Map built once.
      {
        code: `const { priceOf } = require("./services/prices"); app.get("/p/:sku", (req, res) => res.json(priceOf(req.params.sku)));`,
        filename: join(__dirname, "fixtures", "inline.js"),
      },
      // An object literal with methods, made once but never used while serving nor exported; one
      // whose methods only read.
      `const orders = { byUser: new Map(), place(u, o) { this.byUser.set(u, o); } }; orders.place("seed", 1);`,
      `export const prices = { bySku: new Map([["coke", 199]]), of(sku) { return this.bySku.get(sku); } };`,
      // A field per-server by design, and said so.
      `class Sockets {
         // state-audit: per-server: the sockets this server holds
         byUser = new Map();
         add(u, s) { this.byUser.set(u, s); }
       }
       const sockets = new Sockets();`,
    ],
    invalid: [
      {
        code: `const carts = {}; app.post("/cart", (req, res) => { carts[req.user] = req.body; res.end(); });`,
        errors: [{ messageId: "found" }],
      },
      {
        code: `const carts = {} as Record<string, string[]>; app.post("/cart", (req) => { carts[req.user] = []; });`,
        errors: [{ messageId: "found" }],
      },
      // A code that expires: a Map's delete on a timer is not a queue's worker.
      {
        code: `const codes = new Map(); app.post("/code", (req) => { codes.set(req.body.email, 1); setTimeout(() => codes.delete(req.body.email), 600000); });`,
        errors: [{ messageId: "found" }],
      },
      {
        code: `function createApp() { const orders = new Map(); app.post("/o", (req) => orders.set(req.user, 1)); }`,
        errors: [{ messageId: "found" }],
      },
      {
        code: `const users = []; function remember(u) { users.push(u); } router.use((req, res, next) => { remember(req.user); next(); });`,
        errors: [{ messageId: "found" }],
      },
      {
        code: `const online = new Set(); io.on("connection", (socket) => { socket.on("join", (user) => online.add(user)); });`,
        errors: [{ messageId: "found" }],
      },
      // An object the app makes once, whose methods write its fields: reported where it is made.
      {
        code: `class Carts { constructor() { this.byUser = new Map(); } add(u, s) { this.byUser.set(u, s); } }
const carts = new Carts();`,
        errors: [{ messageId: "found", line: 2 }],
      },
      {
        code: `class Carts { #byUser = new Map(); add(u, s) { this.#byUser.set(u, s); } } export const carts = new Carts();`,
        errors: [{ messageId: "found" }],
      },
      // A service as an object literal: its Map written by its method, the object used while serving, or exported.
      {
        code: `const orders = { byUser: new Map(), place(u, o) { this.byUser.set(u, o); } };
app.post("/orders", (req, res) => { orders.place(req.user, req.body); res.end(); });`,
        errors: [{ messageId: "found", line: 1 }],
      },
      {
        code: `const carts = { lines: {}, add: (u, s) => { (carts.lines[u] ??= []).push(s); } }; module.exports = { carts };`,
        errors: [{ messageId: "found" }],
      },
      // A function called as the app is put together, whose functions share a Set.
      {
        code: `function remember() { const seen = new Set(); return { add: (x) => seen.add(x) }; }
function createApp(app) { const memory = remember(); app.post("/x", (req) => memory.add(req.body)); }`,
        errors: [{ messageId: "found", line: 2 }],
      },
      // Followed into another file (test/fixtures/services/cart-service.js), and through a CommonJS barrel.
      {
        code: `const { CartService } = require("./services/cart-service"); const carts = new CartService();`,
        filename: join(__dirname, "fixtures", "inline.js"),
        errors: [{ messageId: "found" }],
      },
      {
        code: `const { CartService } = require("./services"); const carts = new CartService();`,
        filename: join(__dirname, "fixtures", "inline.js"),
        errors: [{ messageId: "found" }],
      },
      // A function of another module a route calls, which writes a Map of its module (reported once).
      {
        code: `const { addToCart } = require("./services/cart-store");
app.post("/cart/:sku", (req, res) => res.json(addToCart(req.session.userId, req.params.sku)));
app.put("/cart/:sku", (req, res) => res.json(addToCart(req.session.userId, req.params.sku)));`,
        filename: join(__dirname, "fixtures", "inline.js"),
        errors: [{ messageId: "found", line: 2 }],
      },
      // A route on router.route(path); a handler a middleware factory of the file returns.
      {
        code: `const carts = new Map(); router.route("/cart").post((req) => carts.set(req.user, req.body));`,
        errors: [{ messageId: "found" }],
      },
      {
        code: `const seen = new Set(); function track() { return (req, res, next) => { seen.add(req.ip); next(); }; } app.use(track());`,
        errors: [{ messageId: "found" }],
      },
      // A Map in the function that puts the app together, called at the file's top: found once, where it is.
      {
        code: `const express = require("express");
function main() {
  const app = express();
  const carts = new Map();
  app.post("/cart/:sku", (req, res) => { carts.set(req.session.userId, req.params.sku); res.end(); });
  app.listen(3000);
}
main();`,
        errors: [{ messageId: "found", line: 4 }],
      },
    ],
  });
});

describe("queues-in-memory", () => {
  tester.run("queues-in-memory (an object made once)", RULES["queues-in-memory"], {
    valid: [`class Jobs { waiting = []; send(j) { this.waiting.push(j); } } export const jobs = new Jobs();`],
    invalid: [
      {
        code: `class Jobs { waiting = []; send(j) { this.waiting.push(j); } take() { return this.waiting.shift(); } }
export const jobs = new Jobs();`,
        errors: [{ messageId: "found", line: 2 }],
      },
    ],
  });
  tester.run("queues-in-memory", RULES["queues-in-memory"], {
    valid: [
      // Filled by requests, never drained by a timer: collections-in-memory's, not this rule's.
      `const log = []; app.post("/l", (req) => log.push(req.body));`,
      // A timer of the file's own name is not Node's.
      `const jobs = []; function setInterval(f) {} app.post("/j", (req) => jobs.push(1)); setInterval(() => jobs.shift());`,
    ],
    invalid: [
      {
        code: `const jobs = []; app.post("/j", (req, res) => { jobs.push(req.body); res.end(); }); setInterval(() => jobs.shift(), 100);`,
        errors: [{ messageId: "found" }],
      },
      {
        code: `const waiting = []; app.post("/o", (req) => waiting.push(req.body));\nfunction work() { for (const job of waiting.splice(0, 10)) cook(job); }\nsetTimeout(work, 10);`,
        errors: [{ messageId: "found" }],
      },
    ],
  });
});

describe("sockets-in-registry", () => {
  tester.run("sockets-in-registry", RULES["sockets-in-registry"], {
    valid: [
      // Names only: presence, not a way to reach anyone (collections-in-memory's, if anything).
      `const online = new Set(); io.on("connection", (socket) => { socket.on("join", (name) => online.add(name)); });`,
      // The connection's own: per socket, not shared.
      `wss.on("connection", (ws) => { const seen = []; ws.on("message", (m) => seen.push(ws)); });`,
      `// state-audit: per-server: the sockets this server holds; messages cross servers by pub/sub
       const clients = new Set(); wss.on("connection", (ws) => clients.add(ws));`,
    ],
    invalid: [
      {
        code: `const users = new Map(); io.on("connection", (socket) => { socket.on("join", (name) => users.set(name, socket)); });`,
        errors: [{ messageId: "found" }],
      },
      {
        code: `const clients = new Set(); wss.on("connection", (ws) => clients.add(ws));`,
        errors: [{ messageId: "found" }],
      },
      // Pruned by a heartbeat, it is still a registry (not a queue).
      {
        code: `const clients = []; wss.on("connection", (ws) => clients.push(ws)); setInterval(() => clients.splice(0, 1), 30000);`,
        errors: [{ messageId: "found" }],
      },
      // Inside what is stored, and under socket.io's other name for the event.
      {
        code: `const users = new Map(); io.on("connect", (socket) => socket.on("join", (name) => users.set(name, { socket, name })));`,
        errors: [{ messageId: "found" }],
      },
    ],
  });
});

describe("counters-in-memory", () => {
  tester.run("counters-in-memory", RULES["counters-in-memory"], {
    valid: [
      `import rateLimit from "express-rate-limit"; rateLimit({ limit: 5, store: new RedisStore({ sendCommand }) });`,
      `import { rateLimit } from "express-rate-limit"; rateLimit(shared);`,
      `const rateLimit = (o) => o; rateLimit({ limit: 5 });`,
    ],
    invalid: [
      {
        code: `import rateLimit from "express-rate-limit"; rateLimit({ windowMs: 60000, limit: 5 });`,
        errors: [{ messageId: "found" }],
      },
      { code: `const { rateLimit } = require("express-rate-limit"); rateLimit();`, errors: [{ messageId: "found" }] },
      {
        code: `import slowDown from "express-slow-down"; slowDown({ delayAfter: 5 });`,
        errors: [{ messageId: "found" }],
      },
      {
        code: `import { MemoryStore } from "express-rate-limit"; const store = () => new MemoryStore();`,
        errors: [{ messageId: "found" }],
      },
    ],
  });
});

describe("counters-in-memory (a number counted while serving)", () => {
  tester.run("counters-in-memory", RULES["counters-in-memory"], {
    valid: [
      // Counted as the app starts; a request's own count; a setting only read.
      `let started = 0; started++; app.get("/s", (req, res) => res.json(started));`,
      `app.post("/x", (req, res) => { let tries = 0; tries++; res.json(tries); });`,
      `const LIMIT = 5; app.post("/login", (req, res) => res.json(LIMIT));`,
      `// state-audit: per-server: requests this server served, for its own metrics
       let served = 0; app.use((req, res, next) => { served++; next(); });`,
    ],
    invalid: [
      {
        code: `let failedLogins = 0;
app.post("/login", (req, res) => { failedLogins += 1; res.status(failedLogins > 5 ? 429 : 401).end(); });`,
        errors: [{ messageId: "found", line: 1 }],
      },
      // In a function a made-once call hands out.
      {
        code: `function limiter() { let count = 0; return () => ++count; }
function createApp(app) { const hit = limiter(); app.post("/x", (req, res) => res.json(hit())); }`,
        errors: [{ messageId: "found", line: 2 }],
      },
    ],
  });
});

describe("files-on-disk", () => {
  tester.run("files-on-disk", RULES["files-on-disk"], {
    valid: [
      `import multer from "multer"; multer({ storage: multer.memoryStorage() });`,
      `import multer from "multer"; multer();`,
      `const multer = (o) => o; multer({ dest: "uploads/" });`,
      // Written once, at start-up; a function of the file's own of that name.
      `import { writeFile } from "node:fs/promises"; await writeFile("app.pid", String(process.pid));`,
      `function writeFile() {} app.put("/a", (req) => writeFile(req.body));`,
    ],
    invalid: [
      {
        code: `import { writeFile } from "node:fs/promises"; app.put("/a/:u", async (req, res) => { await writeFile(req.params.u, req.body); });`,
        errors: [{ messageId: "found" }],
      },
      {
        code: `const fs = require("fs"); app.post("/u", (req) => fs.createWriteStream("u"));`,
        errors: [{ messageId: "found" }],
      },
      {
        code: `import fs from "node:fs"; router.post("/u", async (req) => fs.promises.writeFile("u", req.body));`,
        errors: [{ messageId: "found" }],
      },
      {
        code: `import { writeFile } from "node:fs/promises";
class Files { put(k, b) { return writeFile(k, b); } }
export const files = new Files();`,
        errors: [{ messageId: "found", line: 3 }],
      },
      { code: `const multer = require("multer"); multer({ dest: "uploads/" });`, errors: [{ messageId: "found" }] },
      {
        code: `import multer from "multer"; const s = multer.diskStorage({ destination: "a/" });`,
        errors: [{ messageId: "found" }],
      },
      { code: `import { diskStorage } from "multer"; diskStorage({});`, errors: [{ messageId: "found" }] },
    ],
  });
});

describe("caches-of-user-data", () => {
  tester.run("caches-of-user-data", RULES["caches-of-user-data"], {
    valid: [
      // Filled as the app starts, read while serving; a request's own cache; a class of the file's own.
      `import { LRUCache } from "lru-cache"; const prices = new LRUCache({ max: 10 }); prices.set("coke", 199);
       app.get("/p", (req, res) => res.json(prices.get(req.query.sku)));`,
      `import NodeCache from "node-cache"; app.get("/k", (req, res) => { const c = new NodeCache(); c.set(1, 2); res.end(); });`,
      `class LRUCache { set() {} } const c = new LRUCache(); app.post("/x", (req) => c.set(req.user, 1));`,
    ],
    invalid: [
      {
        code: `import { LRUCache } from "lru-cache"; const profiles = new LRUCache({ max: 500 });
app.post("/login", (req, res) => { profiles.set(req.body.name, req.body); res.end(); });`,
        errors: [{ messageId: "found", line: 1 }],
      },
      {
        code: `const NodeCache = require("node-cache"); const seen = new NodeCache();
router.use((req, res, next) => { seen.set(req.ip, Date.now()); next(); });`,
        errors: [{ messageId: "found" }],
      },
      // In a field of a service the app makes once.
      {
        code: `import QuickLRU from "quick-lru";
class Profiles { cache = new QuickLRU({ maxSize: 100 }); remember(u, p) { this.cache.set(u, p); } }
export const profiles = new Profiles();`,
        errors: [{ messageId: "found", line: 3 }],
      },
    ],
  });
});

describe("the recommended config", () => {
  it("is all a user's flat config needs: every rule on, each finding an error that says what breaks (a cache a warning)", () => {
    const messages = new Linter({ configType: "flat" }).verify(
      `import session from "express-session"; import { LRUCache } from "lru-cache";
app.use(session({ secret: "s" }));
const profiles = new LRUCache({ max: 10 }); app.post("/login", (req) => profiles.set(req.body.name, 1));`,
      [plugin.configs.recommended, { languageOptions: { sourceType: "module" } }],
    );
    expect(messages).toEqual([
      expect.objectContaining({
        ruleId: "stateless/sessions-in-memory",
        severity: 2,
        line: 2,
        message: expect.stringContaining("(pnpm compare --journey no-stickiness, server-crash, rolling-deploy)"),
      }),
      expect.objectContaining({ ruleId: "stateless/caches-of-user-data", severity: 1, line: 3 }),
    ]);
  });
});
