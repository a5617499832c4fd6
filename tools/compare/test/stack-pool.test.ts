// Stacks are reused from journey to journey, and journeys run in lanes side by side: this is what
// makes `pnpm compare` fast, and it must never hand a journey a stack or a store that an earlier
// one left broken. Real processes behind both balancers.
import { lanesOf, TYPICAL_SECONDS } from "../src/compare/lanes";
import type { LoadBalancer } from "../src/balancer/load-balancer";
import { StackPool } from "../src/rig/stack-pool";
import { repairStack, type Stack } from "../src/rig/stack";
import { TestBed } from "../src/rig/test-bed";
import { JOURNEY_NAMES, type BalancerKind, type JourneyName } from "../src/vocabulary";
import { describeNeeding } from "./prerequisites";

jest.setTimeout(60_000);

describe("the lanes of a run", () => {
  const matrix = JOURNEY_NAMES.filter((name) => name !== "chaos" && name !== "store-failover");
  const seconds = (lane: readonly JourneyName[]) => lane.reduce((sum, name) => sum + TYPICAL_SECONDS[name], 0);

  it("lays the matrix out in four lanes that end about together, each journey once, the longest first", () => {
    const lanes = lanesOf(matrix, 4);
    expect(lanes).toHaveLength(4);
    expect(lanes.flat().sort()).toEqual([...matrix].sort());
    // Before the lock-out (which comes last wherever it goes), no lane holds more than the others
    // by more than its shortest journey: each went to the lane with the least so far. The longest
    // lane is what a run waits for.
    const before = lanes.map((lane) => lane.filter((name) => name !== "brute-force"));
    const least = Math.min(...before.map(seconds));
    for (const lane of before) {
      expect(seconds(lane) - Math.min(...lane.map((name) => TYPICAL_SECONDS[name]))).toBeLessThanOrEqual(least);
      // Longest first: the lane's first journey also waits for its stacks to start.
      const times = lane.map((name) => TYPICAL_SECONDS[name]);
      expect(times).toEqual([...times].sort((a, b) => b - a));
    }
  });

  it("runs the lock-out last in its lane, after every journey that shares that lane's Redis", () => {
    const lane = lanesOf(matrix, 4).find((lane) => lane.includes("brute-force"))!;
    expect(lane.at(-1)).toBe("brute-force");
    expect(lanesOf(["brute-force", "happy-path", "store-outage"], 2)).toEqual([
      ["store-outage"],
      ["happy-path", "brute-force"],
    ]);
  });

  it("runs everything in one lane, in the matrix's order with the lock-out last, when they cannot be apart", () => {
    expect(lanesOf(["brute-force", "happy-path", "store-outage"], 1)).toEqual([
      ["happy-path", "store-outage", "brute-force"],
    ]);
    expect(lanesOf(["happy-path"], 4)).toEqual([["happy-path"]]);
  });
});

/** The instances that answered `count` new clients (no cookie) through the balancer. */
async function servedThrough(balancer: LoadBalancer, count: number): Promise<string[]> {
  const served = new Set<string>();
  for (let i = 0; i < count; i++) {
    const response = await fetch(`${balancer.url}/healthz`);
    await response.body?.cancel();
    served.add(response.headers.get("x-served-by") ?? "?");
  }
  return [...served].sort();
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const BALANCERS: [BalancerKind, "haproxy" | undefined][] = [
  ["builtin", undefined],
  ["haproxy", "haproxy"],
];

for (const [lb, needs] of BALANCERS)
  describeNeeding(needs, `a stack behind the ${lb} balancer`, () => {
    let bed: TestBed;
    let stack: Stack;
    let addedFirst: string;
    beforeAll(async () => {
      bed = await TestBed.open({ lb, needsStore: false });
      stack = await bed.startStack("stateful", { instances: 2 });
    });
    afterAll(() => bed.close());

    it("is repaired after a kill and a scale-out: the killed instance is back on its port, the added one is gone", async () => {
      const { cluster, balancer } = stack;
      const [first, second] = cluster.ids as [string, string];
      const killedPid = cluster.pid(second);
      const killedUrl = cluster.url(second);
      await cluster.kill(second);
      const added = (addedFirst = await cluster.addInstance());
      await balancer.setBackends(cluster.backends);
      const addedPid = cluster.pid(added);

      await repairStack(stack, 2);

      expect(cluster.ids.sort()).toEqual([first, second].sort());
      expect(cluster.url(second)).toBe(killedUrl);
      expect(cluster.pid(second)).not.toBe(killedPid);
      expect(alive(addedPid)).toBe(false);
      expect((await balancer.liveIds()).sort()).toEqual([first, second].sort());
      expect(await servedThrough(balancer, 6)).toEqual([first, second].sort());
    });

    it("can be scaled out again after the repair (HAProxy fills the same slot)", async () => {
      const { cluster, balancer } = stack;
      const added = await cluster.addInstance();
      expect(added).toBe(addedFirst);
      await balancer.setBackends(cluster.backends);
      await repairStack(stack, 3);
      expect(await servedThrough(balancer, 9)).toContain(added);
      await repairStack(stack, 2);
      expect(await servedThrough(balancer, 6)).not.toContain(added);
    });
  });

describe("the stack pool", () => {
  let bed: TestBed;
  beforeAll(async () => {
    bed = await TestBed.open({ lb: "builtin", needsStore: false });
  });
  afterAll(() => bed.close());

  it("hands the next journey the same stack, switched to the routing it asks for", async () => {
    const pool = new StackPool(bed, 2, "");
    const stack = await pool.acquire("stateful", "sticky");
    const pids = stack.cluster.ids.map((id) => stack.cluster.pid(id));
    await pool.release(stack, { reusable: true });

    const again = await pool.acquire("stateful", "round-robin");
    expect(again).toBe(stack);
    expect(again.balancer.policy).toBe("round-robin");
    expect(again.cluster.ids.map((id) => again.cluster.pid(id))).toEqual(pids);
    await pool.release(again, { reusable: true });
  });

  it("stops a stack left in a state repair cannot undo, and starts a fresh one for the next journey", async () => {
    const pool = new StackPool(bed, 2, "");
    const locked = await pool.acquire("stateful", "sticky");
    const pids = locked.cluster.ids.map((id) => locked.cluster.pid(id));
    await pool.release(locked, { reusable: false });
    expect(pids.filter(alive)).toEqual([]);

    const fresh = await pool.acquire("stateful", "sticky");
    expect(fresh).not.toBe(locked);
    await pool.release(fresh, { reusable: false });
  });
});
