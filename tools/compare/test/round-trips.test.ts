// The round-trip table (src/bench/round-trip-table.ts, shown in docs/costs.md) is what real servers
// do: every route asked of a real instance of each app on the test run's stores, each answer's
// Server-Timing read. The stateless app makes exactly the round trips the table says (more is a
// regression; fewer, a table to update); the stateful app makes none at all.
import { ROUTE_CALLS } from "../src/bench/round-trip-table";
import { countRoundTrips } from "../src/bench/round-trips";
import type { Stack } from "../src/rig/stack";
import { TestBed } from "../src/rig/test-bed";

let bed: TestBed;
beforeAll(async () => {
  bed = await TestBed.open({ lb: "builtin" });
}, 60_000);
afterAll(() => bed?.close());

const firstInstance = (stack: Stack) => stack.cluster.url(stack.cluster.ids[0]!);

describe("each route's store round trips", () => {
  it("stateless: as many as the table says, each store's and one after another", async () => {
    const counted = await countRoundTrips(firstInstance(await bed.startStack("stateless", { instances: 1 })));
    expect(counted).toEqual(ROUTE_CALLS.map(({ route, stateless }) => ({ route, ...stateless })));
  }, 60_000);

  it("stateful: none, whatever the route: its state is in its own memory and on its own disk", async () => {
    const counted = await countRoundTrips(firstInstance(await bed.startStack("stateful", { instances: 1 })));
    expect(counted.map(({ route, inSequence }) => ({ route, inSequence }))).toEqual(
      ROUTE_CALLS.map(({ route }) => ({ route, inSequence: 0 })),
    );
    const stores = new Set(counted.flatMap(({ stores }) => Object.keys(stores)));
    expect([...stores].filter((store) => store !== "memory" && store !== "disk")).toEqual([]);
  }, 60_000);
});
