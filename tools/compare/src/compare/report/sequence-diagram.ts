// What happened in one journey on one app, as a Mermaid sequence diagram drawn from what the run
// recorded: each user, the balancer, each server that answered, the stores each answer touched
// (its Server-Timing header), the faults as notes, and the answer that failed the journey crossed
// out (`--x`). GitHub draws it in compare.md; compare.html draws it with Mermaid bundled.
//
// A journey of hundreds of requests stays readable: a run of like requests folds into one note
// with counts, and when a journey is long, only the steps around its start, its faults, its
// failure and its end are drawn; each stretch between them folds into a note with its counts.
import type { JourneyResult } from "../../journeys/result";
import type { Step } from "../../journeys/steps";
import { byNumber } from "../../util";

/** The stores a server keeps in its own process: drawn on the server, not as a lifeline of their own. */
const IN_PROCESS_STORES = new Set(["memory", "disk"]);
const STORE_TITLES: Readonly<Record<string, string>> = { redis: "Redis", postgres: "PostgreSQL", s3: "object storage" };
/** Users beyond these share one lifeline ("other browsers"). */
const MAX_USERS = 5;
/** A journey of up to this many steps is drawn whole (a run of like steps still folds). */
const MAX_STEPS_DRAWN_WHOLE = 30;
/** Around each fault and the failure, the steps drawn in full. */
const STEPS_BEFORE = 2;
const STEPS_AFTER = 3;
const STEPS_AT_START = 4;
const STEPS_AT_END = 2;
/** A run of at least this many like steps (same user, request and answer) folds into a note. */
const FOLDED_RUN = 3;
/** A server's name as the apps give it in X-Served-By, also as faults name it. */
const SERVER_NAME = /\b(?:stateful|stateless|lab)-\d+\b/g;

export function sequenceDiagram(result: JourneyResult): string {
  const cast = castOf(result);
  const lines = ["sequenceDiagram", ...cast.declarations()];
  const failingStep = result.failingStep ?? -1;
  const failure = result.outcome === "fail" && result.failure ? text(cut(result.failure, 200)) : undefined;
  for (const part of partsOf(result, failingStep)) {
    if (part.kind === "fault") lines.push(`  Note over ${cast.faultSpan(part.fault)}: ${text(part.fault)}`);
    else if (part.kind === "folded")
      lines.push(`  Note over ${cast.wide()}: ${text(describeFolded(part.steps, cast))}`);
    else lines.push(...cast.messages(part.step, part.index === failingStep));
    if (part.kind === "step" && part.index === failingStep && failure)
      lines.push(`  Note over ${cast.wide()}: ✗ the journey failed here:<br>${failure}`);
  }
  // A failure no single answer caused (a count, a comparison of answers) is told at the end.
  if (failure && failingStep === -1) lines.push(`  Note over ${cast.wide()}: ✗ the journey failed:<br>${failure}`);
  return `${lines.join("\n")}\n`;
}

type Part =
  | { readonly kind: "step"; readonly index: number; readonly step: Step }
  | { readonly kind: "folded"; readonly steps: readonly Step[] }
  | { readonly kind: "fault"; readonly fault: string };

/** The steps and faults in order, with the stretches and runs that fold already folded. */
function partsOf(result: JourneyResult, failingStep: number): Part[] {
  const { steps } = result;
  const faults = result.faults ?? [];
  const drawn = stepsDrawn(
    steps.length,
    faults.map((fault) => fault.afterSteps),
    failingStep,
  );
  const parts: Part[] = [];
  let pending: { index: number; step: Step }[] = [];
  const flush = () => {
    parts.push(...foldRuns(pending, failingStep));
    pending = [];
  };
  let fault = 0;
  for (let index = 0; index <= steps.length; index++) {
    for (; fault < faults.length && faults[fault]!.afterSteps === index; fault++) {
      flush();
      parts.push({ kind: "fault", fault: faults[fault]!.fault });
    }
    if (index === steps.length) break;
    if (drawn[index]) pending.push({ index, step: steps[index]! });
    else {
      flush();
      const last = parts.at(-1);
      if (last?.kind === "folded") parts[parts.length - 1] = { kind: "folded", steps: [...last.steps, steps[index]!] };
      else parts.push({ kind: "folded", steps: [steps[index]!] });
    }
  }
  flush();
  return parts;
}

/** Which steps are drawn in full: all of a short journey; of a long one, those near its landmarks. */
function stepsDrawn(count: number, faultsAfter: readonly number[], failingStep: number): boolean[] {
  if (count <= MAX_STEPS_DRAWN_WHOLE) return Array.from({ length: count }, () => true);
  const drawn = Array.from({ length: count }, () => false);
  const draw = (from: number, to: number) => {
    for (let index = Math.max(0, from); index < Math.min(count, to); index++) drawn[index] = true;
  };
  draw(0, STEPS_AT_START);
  draw(count - STEPS_AT_END, count);
  for (const after of faultsAfter) draw(after - STEPS_BEFORE, after + STEPS_AFTER);
  if (failingStep >= 0) draw(failingStep - STEPS_BEFORE, failingStep + 1);
  return drawn;
}

/** Runs of like steps (never the failing one) fold into one note; the rest stay steps. */
function foldRuns(steps: readonly { index: number; step: Step }[], failingStep: number): Part[] {
  const parts: Part[] = [];
  for (let start = 0; start < steps.length;) {
    let end = start + 1;
    const first = steps[start]!;
    if (first.index !== failingStep)
      while (end < steps.length && steps[end]!.index !== failingStep && alike(first.step, steps[end]!.step)) end++;
    if (end - start >= FOLDED_RUN)
      parts.push({ kind: "folded", steps: steps.slice(start, end).map(({ step }) => step) });
    else for (const { index, step } of steps.slice(start, end)) parts.push({ kind: "step", index, step });
    start = end;
  }
  return parts;
}

const alike = (a: Step, b: Step) =>
  userOf(a.shopper) === userOf(b.shopper) && a.request === b.request && answerOf(a) === answerOf(b);

/** "erin (round 1, writer 2)" is erin: the journeys name a user's browsers after the user. */
const userOf = (shopper: string) => shopper.replace(/\s*\(.*$/, "");

const answerOf = (step: Step) => (step.status === 0 ? "no answer" : `${step.status} ${step.code ?? ""}`.trim());

/**
 * "Alice: GET /cart ×3 → 503 STORE_UNAVAILABLE · served by stateless-1 ×2, stateless-2 ×1", or for a
 * mixed stretch "erin, frank: 12 requests: POST /cart/items ×10, GET /cart ×2 · answers 201 ×10, 200 ×2 · …"
 */
function describeFolded(steps: readonly Step[], cast: Cast): string {
  const users = [...new Set(steps.map((step) => cast.userTitle(step.shopper)))];
  const who = users.length <= 3 ? users.join(", ") : `${users.length} browsers`;
  const requests = tally(steps.map((step) => step.request));
  const answers = tally(steps.map(answerOf));
  const servedBy = `served by ${counted(tally(steps.map((step) => step.instance)))}`;
  if (requests.size === 1 && answers.size === 1)
    return `${who}: ${counted(requests)} → ${[...answers.keys()][0]} · ${servedBy}`;
  return `${who}: ${steps.length} requests: ${counted(requests)} · answers ${counted(answers)} · ${servedBy}`;
}

/** "POST /cart/items ×10, GET /cart ×2", the four most frequent. */
const counted = (counts: ReadonlyMap<string, number>) =>
  [...counts]
    .slice(0, 4)
    .map(([value, count]) => `${value} ×${count}`)
    .join(", ") + (counts.size > 4 ? ", …" : "");

function tally(values: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return new Map([...counts].sort((a, b) => b[1] - a[1]));
}

type Cast = ReturnType<typeof castOf>;

/** The lifelines: users, the balancer, the servers (those that answered, and those a fault names), the stores. */
function castOf(result: JourneyResult) {
  const users = new Map<string, string>();
  for (const { shopper } of result.steps) {
    const user = userOf(shopper);
    if (!users.has(user) && users.size < MAX_USERS) users.set(user, `u${users.size + 1}`);
  }
  const others = result.steps.some(({ shopper }) => !users.has(userOf(shopper)));
  const serverNames = new Set<string>();
  for (const { instance } of result.steps) if (instance !== "balancer") serverNames.add(instance);
  for (const { fault } of result.faults ?? []) for (const [name] of fault.matchAll(SERVER_NAME)) serverNames.add(name);
  const servers = new Map([...serverNames].sort(byNumber).map((name, index) => [name, `s${index + 1}`]));
  const stores = [...new Set(result.steps.flatMap((step) => (step.stores ?? []).map(({ store }) => store)))].filter(
    (store) => !IN_PROCESS_STORES.has(store),
  );
  const userId = (shopper: string) => users.get(userOf(shopper)) ?? "others";
  const serverId = (instance: string) => servers.get(instance) ?? "lb";
  const lastLifeline = stores.length > 0 ? `st_${stores.at(-1)}` : ([...servers.values()].at(-1) ?? "lb");

  return {
    declarations: () => [
      ...[...users].map(([user, id]) => `  actor ${id} as ${text(user)}`),
      ...(others ? ["  actor others as other browsers"] : []),
      "  participant lb as balancer",
      ...[...servers].map(([name, id]) => `  participant ${id} as ${text(name)}`),
      ...stores.map((store) => `  participant st_${store} as ${text(STORE_TITLES[store] ?? store)}`),
    ],
    userTitle: (shopper: string) => (users.has(userOf(shopper)) ? userOf(shopper) : "other browsers"),
    /** A note from the balancer to the last lifeline: a banner across the servers and stores. */
    wide: () => `lb,${lastLifeline}`,
    /** Over the servers a fault names, or over the stores (a Redis fault) or the balancer. */
    faultSpan: (fault: string) => {
      const named = [...fault.matchAll(SERVER_NAME)].map(([name]) => servers.get(name)!);
      if (named.length > 0) return [...new Set([named[0], named.at(-1)])].join(",");
      return /redis/i.test(fault) && stores.includes("redis") ? "st_redis" : "lb";
    },
    messages: (step: Step, failed: boolean): string[] => {
      const user = userId(step.shopper);
      const server = serverId(step.instance);
      const lines = [`  ${user}->>lb: ${text(step.request)}`];
      if (server !== "lb") lines.push(`  lb->>${server}: ${text(step.request)}`);
      for (const { store, ms, operations } of step.stores ?? []) {
        const target = IN_PROCESS_STORES.has(store) ? server : `st_${store}`;
        const what = IN_PROCESS_STORES.has(store) ? `${store}: ` : "";
        lines.push(
          `  ${server}->>${target}: ${text(`${what}${operations} op${operations === 1 ? "" : "s"}, ${ms} ms`)}`,
        );
      }
      lines.push(
        `  ${server}${failed ? "--x" : "-->>"}${user}: ${text(`${answerOf(step)} (${Math.round(step.ms)} ms)`)}`,
      );
      return lines;
    },
  };
}

const cut = (value: string, max: number) => (value.length > max ? `${value.slice(0, max - 1)}…` : value);

/**
 * Text Mermaid shows as it is: `;` would end the statement, `#` starts an entity, and `<`, `>` are
 * HTML to it; each becomes its entity. A newline would end the line.
 */
function text(value: string): string {
  const entities: Record<string, string> = { "#": "#35;", ";": "#59;", "<": "#lt;", ">": "#gt;" };
  return value.replace(/\s*\n\s*/g, " ").replace(/[#;<>]/g, (char) => entities[char]!);
}
