// The bench's yardsticks: how fast Express 5 itself can serve the bench's request mix on this
// machine, with nothing of ours around it. No helmet, no logging, no token or session signing, no
// input validation, no login limits: what is left is routing, JSON in and out, and the state.
//
//   node bound-server.js                 carts and sessions in a Map (the stateful app's bound)
//   REDIS_URL=… node bound-server.js     the stateless app's Redis round trips per request: GET the
//                                        session record, then HGETALL the cart or one write
//
// PORT and INSTANCE_ID as for the apps. Each app's distance from its bound is what its own
// features and code cost; the bounds' ratio to each other is what Redis costs a minimal app.
import { addLine, DomainError, priceCart, type CartLine } from "@cart/domain";
import { parseCookie } from "cookie";
import express, { type Request, type Response } from "express";
import { randomUUID } from "node:crypto";
import { createClient } from "@redis/client";

const SESSION_COOKIE = "sid";
const TTL_SECONDS = 3600;

/** Where the bound keeps its users' sessions and carts. */
interface BoundState {
  logIn(sessionId: string, userId: string): Promise<void>;
  /** The user of a session, or undefined (401). */
  user(sessionId: string): Promise<string | undefined>;
  lines(sessionId: string): Promise<CartLine[]>;
  add(sessionId: string, sku: string, quantity: number): Promise<CartLine[]>;
  remove(sessionId: string, sku: string): Promise<CartLine[]>;
  empty(sessionId: string): Promise<void>;
}

function inMemory(): BoundState {
  const sessions = new Map<string, string>();
  const carts = new Map<string, CartLine[]>();
  return {
    logIn: async (sessionId, userId) => void sessions.set(sessionId, userId),
    user: async (sessionId) => sessions.get(sessionId),
    lines: async (sessionId) => carts.get(sessionId) ?? [],
    async add(sessionId, sku, quantity) {
      const lines = addLine(carts.get(sessionId) ?? [], sku, quantity);
      carts.set(sessionId, lines);
      return lines;
    },
    async remove(sessionId, sku) {
      const lines = (carts.get(sessionId) ?? []).filter((line) => line.sku !== sku);
      carts.set(sessionId, lines);
      return lines;
    },
    empty: async (sessionId) => void carts.delete(sessionId),
  };
}

async function inRedis(url: string): Promise<BoundState> {
  const redis = createClient({ url });
  redis.on("error", (error: Error) => console.error(`redis: ${error.message}`));
  await redis.connect();
  const sessionKey = (id: string) => `bound:sess:${id}`;
  const cartKey = (id: string) => `bound:cart:${id}`;
  const toLines = (hash: Record<string, string>) =>
    Object.entries(hash).map(([sku, quantity]) => ({ sku, quantity: Number(quantity) }));
  return {
    async logIn(sessionId, userId) {
      await redis.set(sessionKey(sessionId), JSON.stringify({ userId }), { EX: TTL_SECONDS });
    },
    async user(sessionId) {
      const record = await redis.get(sessionKey(sessionId));
      return record === null ? undefined : (JSON.parse(record) as { userId: string }).userId;
    },
    lines: async (sessionId) => toLines(await redis.hGetAll(cartKey(sessionId))),
    async add(sessionId, sku, quantity) {
      // One round trip, as the app's Lua script is one (its limits are left out here).
      const [, , hash] = await redis
        .multi()
        .hIncrBy(cartKey(sessionId), sku, quantity)
        .expire(cartKey(sessionId), TTL_SECONDS)
        .hGetAll(cartKey(sessionId))
        .exec();
      return toLines(hash as unknown as Record<string, string>);
    },
    async remove(sessionId, sku) {
      const [, hash] = await redis.multi().hDel(cartKey(sessionId), sku).hGetAll(cartKey(sessionId)).exec();
      return toLines(hash as unknown as Record<string, string>);
    },
    empty: async (sessionId) => void (await redis.del(cartKey(sessionId))),
  };
}

function boundApp(instanceId: string, state: BoundState): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.use((_req, res, next) => {
    res.setHeader("X-Served-By", instanceId);
    next();
  });
  app.get("/healthz", (_req, res) => void res.json({ status: "ok", instance: instanceId }));
  app.post("/auth/login", express.json(), async (req, res) => {
    const sessionId = randomUUID();
    await state.logIn(sessionId, String((req.body as { username?: unknown }).username));
    res.cookie(SESSION_COOKIE, sessionId, { httpOnly: true, sameSite: "lax" });
    res.json({ ok: true });
  });

  const loggedIn = async (req: Request, res: Response) => {
    const sessionId = parseCookie(req.headers.cookie ?? "")[SESSION_COOKIE];
    const userId = sessionId === undefined ? undefined : await state.user(sessionId);
    if (sessionId === undefined || userId === undefined) {
      res.status(401).json({ error: { code: "NOT_LOGGED_IN", message: "Log in first" } });
      return undefined;
    }
    return { sessionId, userId };
  };
  app.get("/me", async (req, res) => {
    const who = await loggedIn(req, res);
    if (who) res.json({ user: { id: who.userId } });
  });
  app.get("/cart", async (req, res) => {
    const who = await loggedIn(req, res);
    if (who) res.json(priceCart(await state.lines(who.sessionId)));
  });
  app.post("/cart/items", express.json(), async (req, res) => {
    const who = await loggedIn(req, res);
    const { sku, quantity } = req.body as { sku: string; quantity: number };
    if (who) res.json(priceCart(await state.add(who.sessionId, sku, quantity)));
  });
  app.delete("/cart/items/:sku", async (req, res) => {
    const who = await loggedIn(req, res);
    if (who) res.json(priceCart(await state.remove(who.sessionId, String(req.params.sku))));
  });
  app.post("/checkout", async (req, res) => {
    const who = await loggedIn(req, res);
    if (!who) return;
    const lines = await state.lines(who.sessionId);
    await state.empty(who.sessionId);
    res.status(201).json({ order: { lines } });
  });
  // As the apps answer them: a broken cart rule is the client's 409, in the contract's form.
  app.use((error: Error, _req: Request, res: Response, _next: express.NextFunction) => {
    const code = error instanceof DomainError ? error.code : "INTERNAL";
    res.status(error instanceof DomainError ? 409 : 500).json({ error: { code, message: error.message } });
  });
  return app;
}

if (require.main === module) {
  const instanceId = process.env.INSTANCE_ID ?? "bound";
  const redisUrl = process.env.REDIS_URL;
  void (redisUrl ? inRedis(redisUrl) : Promise.resolve(inMemory())).then((state) => {
    const server = boundApp(instanceId, state).listen(Number(process.env.PORT ?? 0), process.env.HOST ?? "127.0.0.1");
    process.on("SIGTERM", () => server.close(() => process.exit(0)));
  });
}
