// `pnpm bench --load-apart`: the load generator on a core of its own, and everything it measures
// (this process with its built-in balancer, the app servers, the stores) on the others, so that
// the generator never takes turns with what it measures. Linux's taskset (util-linux) sets which
// CPUs a process may run on, and what a process starts inherits it: so this process is pinned
// before it starts anything, and each generator is started on the core kept for it. On our two
// cores it left one core to the servers, the balancer and the stores together, and runs were
// noisier than with every process on both (docs/costs.md); a machine with more cores may differ.
import { execFileSync } from "node:child_process";

export interface CorePlan {
  /** The CPU the load generator runs on. */
  readonly load: number;
  /** The CPUs of everything else. */
  readonly rest: readonly number[];
}

let plan: CorePlan | undefined;

/**
 * Pins this process (and so what it starts) to all the CPUs it may use but the first, kept for the
 * load generator. Undefined, and nothing pinned, with fewer than two CPUs or no taskset.
 */
export function keepLoadApart(): CorePlan | undefined {
  const allowed = allowedCpus();
  if (!allowed || allowed.length < 2) return undefined;
  const [load, ...rest] = allowed as [number, ...number[]];
  execFileSync("taskset", ["-a", "-p", "-c", rest.join(","), String(process.pid)], { stdio: "ignore" });
  plan = { load, rest };
  return plan;
}

/** The command and arguments that run `node <args>` as a load generator: on its own core, once kept. */
export function loadGenerator(args: readonly string[]): [string, string[]] {
  return plan ? ["taskset", ["-c", String(plan.load), process.execPath, ...args]] : [process.execPath, [...args]];
}

/** The CPUs this process may run on ("pid 1's current affinity list: 0,2-3"), or undefined without taskset. */
function allowedCpus(): number[] | undefined {
  let said: string;
  try {
    said = execFileSync("taskset", ["-p", "-c", String(process.pid)], { encoding: "utf8" });
  } catch {
    return undefined;
  }
  return said
    .slice(said.lastIndexOf(":") + 1)
    .trim()
    .split(",")
    .flatMap((range) => {
      const [first, last = first] = range.split("-").map(Number) as [number, number?];
      return Array.from({ length: last - first + 1 }, (_, i) => first + i);
    });
}
