// No server dies with its store, and no acknowledged write is lost with one. Two stateless servers
// (real processes) serve a mixed workload (mixed-workload.ts: checkouts whose orders the kitchen
// cooks, a cart line, an avatar, a chat across the servers) while each store in turn (Redis,
// PostgreSQL, object storage) is stopped or frozen, at a moment and for a time (0.2 to 3 s) a
// seeded random generator chooses. Background work meets the outages too: the kitchen's workers,
// the chat's claim renewals and pub/sub, pg-boss's upkeep. It holds when no server exits, every
// answer is a success or a 503 within the stores' deadline plus half a second, after each outage
// every write the shop acknowledged is there, and in the end every order is ready, cooked once.
// `pnpm test` runs 6 rounds (about 30 s); the long form runs more, and a failing run's seed replays it:
//   STORE_FAULT_ROUNDS=24 STORE_FAULT_SEED=1234 npx jest apps/stateless/test/store-faults.test.ts
import { NO_LOGIN_LIMITS } from "@cart/contract-suite";
import type { Order } from "@cart/domain";
import {
  LocalPostgresServer,
  LocalRedisServer,
  LocalS3Server,
  startNodeServer,
  type NodeServer,
} from "@cart/local-infra";
import { createPgPool, scratchDatabase } from "@cart/pg-kit";
import { objectStoreEnv, objectStoreFromEnv, scratchBucket } from "@cart/s3-kit";
import { randomInt } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { join } from "node:path";
import { prepareDatabase } from "../src/database";
import { MixedWorkload } from "./mixed-workload";

const ROUNDS = Number(process.env.STORE_FAULT_ROUNDS || 6);
const SEED = Number(process.env.STORE_FAULT_SEED || randomInt(2 ** 31));
const SCRIPT = join(__dirname, "..", "dist", "server.js");
/** A pizza cooks for 0.3 s, so its job's lease is a second: outages outlast leases, and jobs come round again. */
const KITCHEN_MS = 300;

interface Store {
  readonly name: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  freeze(): void;
  resume(): void;
}

let redis: LocalRedisServer;
let postgres: LocalPostgresServer;
let s3: LocalS3Server;
const servers: NodeServer[] = [];

beforeAll(async () => {
  // Stores of this file's own, since it stops and freezes them; Redis keeps its data on disk, as
  // production's does, so that stopping it loses no acknowledged write.
  [redis, postgres, s3] = await Promise.all([
    LocalRedisServer.start({ appendOnly: true }),
    LocalPostgresServer.start(),
    LocalS3Server.start(),
  ]);
  const database = scratchDatabase(postgres.url(), "faults");
  await database.create();
  const pool = createPgPool(database.url);
  await prepareDatabase(pool).finally(() => pool.end());
  const bucket = scratchBucket(
    objectStoreFromEnv({
      S3_ENDPOINT: s3.endpoint,
      S3_REGION: LocalS3Server.region,
      S3_ACCESS_KEY_ID: LocalS3Server.credentials.accessKeyId,
      S3_SECRET_ACCESS_KEY: LocalS3Server.credentials.secretAccessKey,
    }),
    "faults",
  );
  await bucket.create();
  for (const name of ["stateless-1", "stateless-2"]) {
    const env = {
      NODE_ENV: "production",
      JWT_SECRET: "k".repeat(64),
      REDIS_URL: redis.url,
      DATABASE_URL: database.url,
      ...objectStoreEnv(bucket.config),
      ...NO_LOGIN_LIMITS,
      LOG_LEVEL: "warn",
      KITCHEN_MS: String(KITCHEN_MS),
      KITCHEN_WORKERS: "2",
    };
    servers.push(await startNodeServer({ name, script: SCRIPT, env }));
  }
}, 60_000);

afterAll(async () => {
  await Promise.all(servers.map((server) => server.process.stop()));
  await Promise.all([redis?.stop(), postgres?.stop(), s3?.stop()]);
});

/** mulberry32: the same seed, the same rounds. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const stores = (): Store[] => [
  { name: "Redis", stop: () => redis.halt(), start: () => redis.startAgain(), ...frozen(redis) },
  { name: "PostgreSQL", stop: () => postgres.crash(), start: () => postgres.startAgain(), ...frozen(postgres) },
  { name: "object storage", stop: () => s3.halt(), start: () => s3.startAgain(), ...frozen(s3) },
];
const frozen = (store: { freeze(): void; resume(): void }) => ({
  freeze: () => store.freeze(),
  resume: () => store.resume(),
});

/** Until every server says every store answers (/readyz 200). */
async function allReady(): Promise<void> {
  const ready = async (server: NodeServer) =>
    (await fetch(`${server.url}/readyz`, { signal: AbortSignal.timeout(3000) }).catch(() => undefined))?.status === 200;
  for (const deadline = Date.now() + 20_000; Date.now() < deadline; await sleep(100)) {
    if ((await Promise.all(servers.map(ready))).every(Boolean)) return;
  }
  const said = servers.map((server) => `${server.process.name}:\n${server.process.recentOutput}`);
  throw new Error(`the stores did not come back within 20 s; the servers said:\n${said.join("\n")}`);
}

describe(`the stateless shop while its stores fail in turn (seed ${SEED}, ${ROUNDS} rounds)`, () => {
  it(
    "keeps every server up, answers each request with a success or a fast 503, and loses no acknowledged write",
    async () => {
      const random = seeded(SEED);
      const workload = new MixedWorkload(servers.map((server) => server.url));
      const log: string[] = [];
      const firstMode: ("stop" | "freeze")[] = [];
      const failed = (what: string) =>
        new Error(`${what}\nreplay: STORE_FAULT_SEED=${SEED} STORE_FAULT_ROUNDS=${ROUNDS}\n${log.join("\n")}`);
      await workload.start();
      try {
        for (let round = 0; round < ROUNDS; round++) {
          // Each store in turn, stopped in one of its rounds and frozen in the next (which first, the
          // generator says): six rounds meet every store both ways.
          const store = stores()[round % 3]!;
          if (round % 6 < 3) firstMode[round % 3] = random() < 0.5 ? "stop" : "freeze";
          const first = firstMode[round % 3]!;
          const mode = round % 6 < 3 ? first : first === "stop" ? "freeze" : "stop";
          const after = Math.round(200 + random() * 800);
          const outage = Math.round(200 + random() * 2800);
          log.push(`round ${round + 1}: ${store.name} ${mode === "stop" ? "stopped" : "frozen"} for ${outage} ms`);
          await sleep(after);
          if (mode === "stop") await store.stop();
          else store.freeze();
          await sleep(outage);
          if (mode === "stop") await store.start();
          else store.resume();
          await allReady().catch((error: Error) => {
            throw failed(error.message);
          });
          await workload.pause();
          const exited = servers.filter((server) => !server.process.running);
          if (exited.length > 0)
            throw failed(
              `${exited.map((server) => server.process.name).join(", ")} exited:\n${exited[0]!.process.recentOutput}`,
            );
          const missing = await workload.check();
          if (missing.length > 0 || workload.client.problems.length > 0)
            throw failed([...missing, ...workload.client.problems].join("\n"));
          workload.resume();
        }
        // Every order placed, acknowledged or not, is cooked in the end, once.
        await workload.pause();
        let orders: Order[] = [];
        for (const deadline = Date.now() + 20_000; Date.now() < deadline; await sleep(250)) {
          orders = await workload.ordersNow();
          if (orders.every((order) => order.status === "ready")) break;
        }
        const wrong = orders.filter((order) => order.status !== "ready" || order.cooked !== 1);
        if (wrong.length > 0) {
          const shown = wrong.slice(0, 3).map((order) => JSON.stringify(order));
          throw failed(
            `${wrong.length} of ${orders.length} orders not ready, or not cooked once, e.g.:\n${shown.join("\n")}`,
          );
        }
        expect(orders.length).toBeGreaterThan(ROUNDS);
        expect(servers.every((server) => server.process.running)).toBe(true);
      } finally {
        await workload.stop();
      }
    },
    60_000 + ROUNDS * 15_000,
  );
});
