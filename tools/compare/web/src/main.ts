// The workshop dashboard: listens to `pnpm workshop`'s event stream and posts the buttons'
// actions. Plain TypeScript and the DOM; Vite bundles it, nothing is fetched from the network.
import type { DashboardState, LogEntry, SideView } from "../../src/workshop/dashboard-state";
import { ALL_BUTTONS, controlsHtml, PLAY_KEY, updateControls } from "./controls";
import { escapeHtml } from "./format";
import { createArchitectureSvg, drawArchitecture, drawRequest } from "./architecture-view";
import { sideHeadHtml, sideHtml } from "./side-view";
import "./style.css";

const LOG_LINES = 60;
const controls = document.querySelector<HTMLElement>("#controls")!;
const status = document.querySelector<HTMLElement>("#status")!;
let state: DashboardState | undefined;
let lastLogId = 0;
/** Each side's log, newest first, kept here because a side's column is redrawn on every change. */
const logs: Record<SideView["app"], LogEntry[]> = { stateful: [], stateless: [] };
/** Each side's architecture diagram, made once. */
const diagrams = {
  stateful: createArchitectureSvg("stateful"),
  stateless: createArchitectureSvg("stateless"),
};
for (const [app, svg] of Object.entries(diagrams))
  document.querySelector(`.side[data-side="${app}"] .architecture-frame`)!.append(svg);

controls.innerHTML = controlsHtml();
controls.addEventListener("click", (event) => {
  const button = (event.target as HTMLElement).closest<HTMLButtonElement>("button[data-action]");
  if (button) void act(button.dataset.action!);
});
controls.querySelector("#journey")!.addEventListener("change", () => state && updateControls(controls, state));

// One key per button, unless a modifier is held or a list has the focus (its own keys move in it).
document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey || (event.target as HTMLElement).tagName === "SELECT") return;
  const key = event.key.toLowerCase();
  const button = ALL_BUTTONS.find((candidate) => candidate.key === key);
  const action = button?.action ?? (key === PLAY_KEY ? "play" : undefined);
  if (!action) return;
  event.preventDefault();
  void act(action);
});

async function act(action: string): Promise<void> {
  if (state?.busy) return;
  const body =
    action === "play"
      ? {
          journey: controls.querySelector<HTMLSelectElement>("#journey")!.value,
          paceMs: Number(controls.querySelector<HTMLSelectElement>("#pace")!.value),
        }
      : {};
  const response = await fetch(`/api/actions/${action}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  }).catch(() => undefined);
  if (!response) return say("The workshop does not answer: is pnpm workshop still running?");
  if (!response.ok) {
    const reply = (await response.json().catch(() => undefined)) as { error?: { message?: string } } | undefined;
    say(reply?.error?.message ?? `The workshop answered ${response.status}`);
  }
}

function say(text: string): void {
  status.textContent = text;
}

function render(next: DashboardState): void {
  state = next;
  say(next.busy ? `Running: ${next.busy}…` : "Ready.");
  updateControls(controls, next);
  for (const side of next.sides) {
    const column = document.querySelector<HTMLElement>(`.side[data-side="${side.app}"]`)!;
    column.querySelector(".side-head")!.innerHTML = sideHeadHtml(side);
    // The diagram is redrawn in place, never replaced: requests may be travelling across it.
    drawArchitecture(diagrams[side.app], side);
    column.querySelector(".side-body")!.innerHTML = sideHtml(side);
    renderLog(side.app);
  }
}

function renderLog(app: SideView["app"]): void {
  const list = document.querySelector(`.side[data-side="${app}"] .log`);
  if (!list) return;
  list.innerHTML = logs[app]
    .map((entry) => `<li class="${entry.tone}"><time>${entry.at}</time> ${escapeHtml(entry.text)}</li>`)
    .join("");
}

function addLog(entry: LogEntry): void {
  // After a reconnection the server sends its backlog again: keep each entry once.
  if (entry.id <= lastLogId) return;
  lastLogId = entry.id;
  for (const app of entry.side === "both" ? (["stateful", "stateless"] as const) : [entry.side]) {
    logs[app].unshift(entry);
    logs[app].length = Math.min(logs[app].length, LOG_LINES);
    renderLog(app);
    if (entry.request && !entry.backlog) drawRequest(diagrams[app], entry.request);
  }
}

const events = new EventSource("/api/events");
events.addEventListener("state", (event) => render(JSON.parse((event as MessageEvent<string>).data)));
events.addEventListener("log", (event) => addLog(JSON.parse((event as MessageEvent<string>).data)));
events.addEventListener("error", () =>
  say("Lost the workshop's event stream: reconnecting… (is pnpm workshop still running?)"),
);
