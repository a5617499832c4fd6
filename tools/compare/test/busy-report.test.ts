// pnpm compare:busy's report: per journey on each app, how many of the runs on a busy machine gave
// another outcome than expected, with the first such failure in the journey's words.
import { verdictsUnderLoad, type BusyRun } from "../src/compare/busy-report";
import type { JourneyResult } from "../src/journeys/result";

const result = (journey: string, app: string, outcome: string, failure: string | null = null) =>
  ({ journey, app, expected: "pass", outcome, matched: outcome === "pass", failure }) as unknown as JourneyResult;

const run = (...results: JourneyResult[]): BusyRun => ({ seconds: 40, report: { results } });
const setting = { burners: 2, machine: "2 cores", compareArgs: [] };

describe("the busy-machine report", () => {
  it("counts, per journey and app, the runs not as expected, and quotes the first", () => {
    const runs = [
      run(result("chat-typing", "stateless", "pass"), result("happy-path", "stateless", "pass")),
      run(result("chat-typing", "stateless", "fail", "Bob never saw it"), result("happy-path", "stateless", "pass")),
      run(result("chat-typing", "stateless", "fail", "later"), result("happy-path", "stateless", "skipped")),
    ];
    const { markdown, flipped } = verdictsUnderLoad(runs, setting);
    expect(flipped).toBe(true);
    expect(markdown).toContain("| chat-typing | stateless | pass | 2 of 3 | fail: Bob never saw it |");
    expect(markdown).toContain("| happy-path | stateless | pass | 0 of 2 |  |");
    expect(markdown).toContain("Every verdict as expected in **1 of 3** runs");
  });

  it("says nothing flipped when every run matched", () => {
    expect(verdictsUnderLoad([run(result("happy-path", "stateful", "pass"))], setting).flipped).toBe(false);
  });
});
