// The Docker side, checked without a Docker engine: the Compose file is valid and has the
// topology the README promises, the Dockerfile has its essentials, and the slim runtime that its
// `pnpm deploy` step produces really starts and answers.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { request } from "node:http";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PNG } from "@cart/contract-suite";
import { findPostgresBinaries, inCi, LocalRedisServer, startNodeServer, waitUntil } from "@cart/local-infra";
import { scratchDatabase } from "@cart/pg-kit";
import { objectStoreEnv, objectStoreFromEnv, scratchBucket } from "@cart/s3-kit";
import { parse } from "yaml";

jest.setTimeout(60_000);

const root = join(__dirname, "..");
const APPS = ["stateful", "stateless"] as const;

/** `docker-compose` (Debian's 1.29) or the `docker compose` plugin, whichever is installed. */
function composeCommand(): string[] | undefined {
  if (spawnSync("docker-compose", ["version"]).status === 0) return ["docker-compose"];
  if (spawnSync("docker", ["compose", "version"]).status === 0) return ["docker", "compose"];
  return undefined;
}

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  healthcheck?: unknown;
  depends_on?: string[] | Record<string, { condition: string }>;
}

describe("docker-compose.yml", () => {
  const compose = composeCommand();
  // .ci/setup installs docker-compose, so CI always validates; elsewhere this says what is missing.
  (compose ? it : it.skip)(
    `is valid for ${compose?.join(" ") ?? "docker-compose (not installed: apt-get install docker-compose)"}`,
    () => {
      const [command, ...args] = compose!;
      const check = spawnSync(command!, [...args, "-f", join(root, "docker-compose.yml"), "config", "-q"], {
        encoding: "utf8",
      });
      // The compose plugin warns that `version` is obsolete; docker-compose 1.29 needs it. Warnings aside, it must pass.
      if (check.status !== 0) throw new Error(`config -q exited ${check.status}:\n${check.stderr}`);
    },
  );

  it("has a durable Redis, PostgreSQL and object store, three named instances of each app behind its own HAProxy, on the documented ports", async () => {
    const { services, volumes } = parse(await readFile(join(root, "docker-compose.yml"), "utf8"), { merge: true }) as {
      services: Record<string, ComposeService>;
      volumes: Record<string, unknown>;
    };
    // Every image pulled (not built here) at an exact version: the stack cannot change under a user.
    for (const [name, service] of Object.entries(services))
      if (service.image && !service.build)
        expect(`${name}: ${service.image}`).toMatch(/^[\w-]+: [\w./-]+:\d+\.\d+(\.\d+)?(-[\w.]+)?$/);
    expect(services.redis!.image).toMatch(/^redis:7\.0\.\d+-alpine$/);
    // HAProxy publishes patch releases: a tag without one moves.
    expect(services["lb-stateful"]!.image).toMatch(/^haproxy:\d+\.\d+\.\d+-alpine$/);
    expect(services["lb-stateless"]!.image).toBe(services["lb-stateful"]!.image);
    expect(services.redis!.command).toEqual(expect.arrayContaining(["--appendonly", "yes"]));
    expect(services.redis!.healthcheck).toBeDefined();
    expect(services.redis!.volumes).toEqual(["redis-data:/data"]);
    expect(Object.keys(volumes)).toContain("redis-data");
    expect(services.postgres!.image).toMatch(/^postgres:15\.\d+-alpine$/);
    expect(services.postgres!.healthcheck).toBeDefined();
    expect(services.postgres!.volumes).toEqual(["postgres-data:/var/lib/postgresql/data"]);
    expect(Object.keys(volumes)).toContain("postgres-data");
    expect(services.s3!.healthcheck).toBeDefined();
    expect(services.s3!.volumes).toContain("s3-data:/data");
    expect(Object.keys(volumes)).toContain("s3-data");

    for (const app of APPS) {
      for (const n of [1, 2, 3]) {
        const id = `${app}-${n}`;
        // HAProxy's server names, X-Served-By and the service name are one and the same.
        expect(services[id]!.environment).toMatchObject({ INSTANCE_ID: id });
      }
      const balancer = services[`lb-${app}`]!;
      expect(balancer.image).toMatch(/^haproxy:/);
      expect(balancer.volumes).toEqual([`./infra/haproxy/${app}.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro`]);
      expect(balancer.depends_on).toEqual([`${app}-1`, `${app}-2`, `${app}-3`]);
    }
    expect(services["lb-stateful"]!.ports).toEqual(["8081:8080", "8404:8404"]);
    expect(services["lb-stateless"]!.ports).toEqual(["8082:8080", "8405:8404"]);
    expect(services["stateless-1"]!.environment).toMatchObject({ REDIS_URL: "redis://redis:6379" });
    expect(services["stateless-1"]!.environment!.DATABASE_URL).toMatch(
      /^postgres:\/\/postgres:.+@postgres:5432\/cart$/,
    );
    expect(services["stateless-1"]!.depends_on).toEqual({
      redis: { condition: "service_healthy" },
      postgres: { condition: "service_healthy" },
      s3: { condition: "service_healthy" },
    });
    // The stateless instances use the credentials the object store knows.
    const s3Config = JSON.parse(await readFile(join(root, "infra/seaweedfs/s3.json"), "utf8"));
    const [key] = s3Config.identities[0].credentials;
    expect(services["stateless-1"]!.environment).toMatchObject({
      S3_ENDPOINT: "http://s3:8333",
      S3_ACCESS_KEY_ID: key.accessKey,
      S3_SECRET_ACCESS_KEY: key.secretKey,
    });
    expect(services["stateful-1"]!.environment).not.toHaveProperty("REDIS_URL");
    expect(services["stateful-1"]!.environment).not.toHaveProperty("DATABASE_URL");
    expect(services["stateful-1"]!.environment).not.toHaveProperty("S3_ENDPOINT");
  });
});

describe("the stores' images", () => {
  const image = async (service: string) => {
    const { services } = parse(await readFile(join(root, "docker-compose.yml"), "utf8"), { merge: true }) as {
      services: Record<string, ComposeService>;
    };
    return services[service]!.image!;
  };
  const version = (command: string, args: string[]) =>
    /\d+\.\d+(\.\d+)?/.exec(spawnSync(command, args, { encoding: "utf8" }).stdout)?.[0];

  it("are Redis at the version the suite runs (redis-server on PATH): exactly in CI, else its major", async () => {
    const suite = version("redis-server", ["--version"])!;
    const tag = /^redis:(\S+)-alpine$/.exec(await image("redis"))![1]!;
    if (inCi()) expect(tag).toBe(suite);
    else expect(tag.split(".")[0]).toBe(suite.split(".")[0]);
  });

  it("are PostgreSQL at the version the suite runs: exactly where it runs the machine's own, as CI does; else its major", async () => {
    const binaries = await findPostgresBinaries();
    const suite = version(join(binaries.dir, "postgres"), ["--version"])!;
    const tag = /^postgres:(\S+)-alpine$/.exec(await image("postgres"))![1]!;
    if (binaries.source === "system") expect(tag).toBe(suite);
    else expect(tag.split(".")[0]).toBe(suite.split(".")[0]);
  });
});

describe("Dockerfile", () => {
  const stages = async () => {
    const text = (await readFile(join(root, "Dockerfile"), "utf8")).replace(/\\\n/g, " ");
    return text
      .split(/^(?=FROM )/m)
      .slice(1)
      .map((stage) => stage.split("\n").filter((line) => line && !line.startsWith("#")));
  };

  it("builds on the newest Node line CI tests, at an exact version, with a corepack of its own (Node 25+ ships none)", async () => {
    const dockerfile = await readFile(join(root, "Dockerfile"), "utf8");
    expect(dockerfile).toMatch(/^RUN npm install --global corepack@\d+\.\d+\.\d+ && corepack enable$/m);
    const lines = /NODE_LINES=\(([^)]*)\)/
      .exec(await readFile(join(root, ".ci", "node-lines"), "utf8"))![1]!
      .split(" ");
    expect(/^ARG NODE_VERSION=(\S+)$/m.exec(dockerfile)?.[1]).toBe(lines.at(-1));
  });

  it("copies into the build stage every script the build runs: scripts/build.mjs and the files it reads beside it", async () => {
    const [build] = await stages();
    const copied = build!
      .filter((line) => line.startsWith("COPY scripts/"))
      .flatMap((line) => line.split(/\s+/).slice(1, -1))
      .map((path) => path.replace(/^scripts\//, ""));
    const source = await readFile(join(root, "scripts", "build.mjs"), "utf8");
    const beside = [...source.matchAll(/["'](?:\.\/)?([\w-]+\.[cm]js)["']/g)]
      .map(([, file]) => file!)
      .filter((file) => existsSync(join(root, "scripts", file)));
    expect(beside).toEqual(expect.arrayContaining(["own-source-map.mjs", "server-launcher.cjs"]));
    expect(copied).toEqual(expect.arrayContaining(["build.mjs", ...beside]));
  });

  it("builds in one stage and runs from a slim second one as a non-root user, with a health check", async () => {
    const [build, runtime] = await stages();
    // Both on the base the build argument names, the official Node image at the pinned version by default.
    const dockerfile = await readFile(join(root, "Dockerfile"), "utf8");
    expect(dockerfile).toMatch(/^ARG BASE_IMAGE=node:\$\{NODE_VERSION\}-\S+-slim$/m);
    expect(build![0]).toBe("FROM ${BASE_IMAGE} AS build");
    expect(build).toContain("RUN pnpm install --frozen-lockfile");
    expect(runtime![0]).toBe("FROM ${BASE_IMAGE} AS runtime");
    const user = runtime!.find((line) => line.startsWith("USER "));
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^USER (root|0)\b/);
    expect(runtime!.find((line) => line.startsWith("HEALTHCHECK "))).toMatch(/\/healthz/);
    // Exec form: node itself receives SIGTERM (no shell in between to swallow it).
    expect(runtime!.find((line) => line.startsWith("CMD "))).toBe('CMD ["node", "dist/server.js"]');
    expect(runtime!.some((line) => /^RUN .*pnpm/.test(line))).toBe(false);
  });

  it.each(APPS)(
    "its pnpm deploy step gives the %s app a runtime of dist/ and production dependencies only, and it starts",
    async (app) => {
      const [build] = await stages();
      const deploy = build!.find((line) => / deploy /.test(line))!.replace(/^RUN /, "");
      const out = await mkdtemp(join(tmpdir(), `deploy-${app}-`));
      let redis: LocalRedisServer | undefined;
      const database = scratchDatabase(process.env.DATABASE_URL!, "docker");
      // The run's object store; the app makes its bucket when it starts.
      const bucket = scratchBucket(objectStoreFromEnv(process.env), "docker");
      try {
        // Run as Docker runs it (sh -c, APP from the build argument), into a temp dir instead of /out.
        const command = deploy.replace(/\/out$/, out);
        const result = spawnSync("sh", ["-c", command], {
          cwd: root,
          env: { ...process.env, APP: app },
          encoding: "utf8",
        });
        if (result.status !== 0) throw new Error(`${command} failed:\n${result.stdout}${result.stderr}`);
        expect(spawnSync("ls", [out], { encoding: "utf8" }).stdout.split("\n").filter(Boolean).sort()).toEqual([
          "dist",
          "node_modules",
          "package.json",
        ]);

        const secrets = { SESSION_SECRET: "s".repeat(32), JWT_SECRET: "j".repeat(32) };
        // A Redis of its own: in production mode its login limits are the real ones, which the
        // other test files' failed logins (from the same address) on the shared Redis would trip.
        redis = await LocalRedisServer.start();
        await database.create();
        const stores = { REDIS_URL: redis.url, DATABASE_URL: database.url, ...objectStoreEnv(bucket.config) };
        const server = await startNodeServer({
          name: `${app} from its deployed runtime`,
          script: join(out, "dist", "server.js"),
          env: { NODE_ENV: "production", INSTANCE_ID: `${app}-docker`, ...stores, ...secrets },
        });
        try {
          const health = await fetch(`${server.url}/healthz`);
          expect(await health.json()).toMatchObject({ status: "ok", instance: `${app}-docker` });
          // Ready once its stores answer (and, for the stateless app, its database is migrated).
          const ready = async () => (await fetch(`${server.url}/readyz`)).status === 200;
          await waitUntil(ready, 5000, `${app}: /readyz did not answer 200 within 5 s`);
          // The chat too: its WebSocket library is in the runtime, and a logged-in user's upgrade is taken.
          const login = await fetch(`${server.url}/auth/login`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ username: "alice", password: "pepperoni" }),
          });
          expect(login.status).toBe(200);
          const cookie = login.headers.getSetCookie()[0]!.split(";")[0]!;
          expect(await upgradeStatus(`${server.url}/chat`, cookie)).toBe(101);
          // And store credit: node-postgres is in the stateless runtime, and the database is migrated.
          expect((await fetch(`${server.url}/wallet`, { headers: { cookie } })).status).toBe(200);
          // And avatars: the AWS SDK is in the stateless runtime (the stateful one writes to its disk).
          const avatar = { method: "PUT", headers: { cookie, "content-type": "image/png" }, body: PNG };
          expect((await fetch(`${server.url}/me/avatar`, avatar)).status).toBe(200);
        } finally {
          await server.process.stop();
        }
      } finally {
        await redis?.stop();
        await Promise.all([database.drop(), bucket.drop()]);
        await rm(out, { recursive: true, force: true });
      }
    },
  );
});

/** The status a WebSocket upgrade request to `url` gets (101 if the server takes it), then hangs up. */
function upgradeStatus(url: string, cookie: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      headers: {
        cookie,
        connection: "Upgrade",
        upgrade: "websocket",
        "sec-websocket-version": "13",
        "sec-websocket-key": randomBytes(16).toString("base64"),
      },
    });
    req.once("upgrade", (res, socket) => {
      socket.destroy();
      resolve(res.statusCode ?? 0);
    });
    req.once("response", (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.once("error", reject);
    req.end();
  });
}
