// The Compose stack run for real, with podman: `scripts/container-stack.sh all` makes the images
// this machine cannot fetch from Debian's packages and the npm registry (once, cached outside the
// repository), builds both apps from the real Dockerfile, brings up the real docker-compose.yml
// with an override that only swaps those images, runs `pnpm compare` against its two HAProxy
// balancers, stops the container serving Alice on each side, and takes everything down. Skipped,
// by name, where podman is missing (required under CI=true), and under a Node line other than the
// images' own, so that CI, which runs every test under each line, runs this one once.
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { describeNeeding } from "../tools/compare/test/prerequisites";
import { untilAlone } from "./support/alone";

const root = join(__dirname, "..");
const MINUTES = 60_000;
jest.setTimeout(25 * MINUTES);

/** Runs the script to its end: its exit status and everything it printed. */
function containerStack(step: string): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", [join(root, "scripts", "container-stack.sh"), step], { cwd: root });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, output }));
  });
}

/** What podman still holds of the stack's project: containers, volumes or networks. */
function leftOf(kind: "ps" | "volume" | "network"): string {
  const args = kind === "ps" ? ["ps", "-a"] : [kind, "ls"];
  const containersConf = join(
    process.env.CART_IMAGE_CACHE ?? join(homedir(), ".cache", "cart-demo"),
    "containers.conf",
  );
  const listed = spawnSync("podman", [...args, "-q", "--filter", "label=com.docker.compose.project=cart-stack"], {
    encoding: "utf8",
    env: { ...process.env, CONTAINERS_CONF: containersConf },
  });
  if (listed.status !== 0) throw new Error(`podman ${args.join(" ")} failed: ${listed.stderr}`);
  return listed.stdout.trim();
}

/**
 * The images run Node at the Dockerfile's version whatever Node runs the tests: CI, which runs
 * `pnpm test` under each Node line, runs this once, under that line.
 */
const imagesLine = /^ARG NODE_VERSION=(\d+)\./m.exec(readFileSync(join(root, "Dockerfile"), "utf8"))![1]!;
const describeOnce = (title: string, body: () => void) =>
  process.versions.node.split(".")[0] === imagesLine
    ? describeNeeding("podman", title, body)
    : describe.skip(`${title} [skipped: it runs under Node ${imagesLine}, the images' own line]`, body);

describeOnce("the Compose stack under podman (scripts/container-stack.sh all)", () => {
  it("builds the images, comes up healthy, gives every expected verdict, shows the stateful side losing Alice with her server and the stateless one not, and leaves nothing behind", async () => {
    // It runs last; the test files still running beside it finish first (see test/alone.js).
    await untilAlone(expect.getState().testPath!, 10 * MINUTES);
    // Taken down again whatever happens, also when the script failed (or was stopped) half-way.
    const { status, output } = await containerStack("all").finally(() => containerStack("down"));
    if (status !== 0) throw new Error(`scripts/container-stack.sh all exited ${status}:\n${output}`);
    expect(output).toMatch(/all six app containers healthy; both balancers answer \/readyz 200/);
    expect(output).toMatch(/Every outcome matched its expectation/);
    // Journeys ran (not only skipped): the chat across servers, on both sides.
    expect(output).toMatch(/chat-across-servers stateful +fail \(as expected\)/);
    expect(output).toMatch(/chat-across-servers stateless +pass \(as expected\)/);
    expect(output).toMatch(/stateful, after stateful-\d stopped: GET \/cart 401, her pizza kept: no/);
    expect(output).toMatch(/stateless, after stateless-\d stopped: GET \/cart 200, her pizza kept: yes/);
    expect(output).toMatch(/the stack is down/);
    expect({ containers: leftOf("ps"), volumes: leftOf("volume"), networks: leftOf("network") }).toEqual({
      containers: "",
      volumes: "",
      networks: "",
    });
  });
});
