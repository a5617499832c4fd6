// The buttons: Alice's shopping, the chat and Dave's orders in the kitchen (each acts on both
// sides at once), the faults, and the journey replays.
// Each has a one-key shortcut, shown on it; all of them wait while an action is running.
import {
  KITCHEN_MEALS,
  KITCHEN_PIZZAS,
  STORE_DISTANCES_MS,
  type DashboardState,
} from "../../src/workshop/dashboard-state";
import { escapeHtml } from "./format";

export interface Button {
  readonly action: string;
  readonly key: string;
  /** The label, which may depend on the state (stickiness off/on, Redis frozen or not). */
  readonly label: (state: DashboardState) => string;
}

const stateful = (state: DashboardState) => state.sides.find((side) => side.app === "stateful");
const redis = (state: DashboardState) => state.sides.find((side) => side.store)?.store;

export const SHOPPER_BUTTONS: Button[] = [
  { action: "login", key: "1", label: () => "Log in as Alice" },
  { action: "add-pepperoni-pizza", key: "2", label: () => "Add pepperoni pizza" },
  { action: "add-mushrooms", key: "3", label: () => "Add mushrooms" },
  { action: "add-coke", key: "4", label: () => "Add Coke" },
  { action: "view-cart", key: "5", label: () => "View cart" },
  { action: "checkout", key: "6", label: () => "Check out" },
  { action: "ask-wallets", key: "7", label: () => "Ask every server for Alice's credit" },
  { action: "upload-avatar", key: "8", label: () => "Alice uploads an avatar; ask every server for it" },
];

export const FAULT_BUTTONS: Button[] = [
  { action: "kill", key: "k", label: () => "Kill the last server (kill -9)" },
  { action: "revive", key: "s", label: () => "Start killed servers" },
  { action: "rolling-restart", key: "r", label: () => "Rolling restart" },
  { action: "add-instance", key: "a", label: () => "Add an instance" },
  {
    action: "stickiness",
    key: "t",
    label: (state) => (stateful(state)?.balancer.policy === "sticky" ? "Stickiness off" : "Stickiness on"),
  },
  { action: "redis", key: "f", label: (state) => (redis(state)?.frozen ? "Resume Redis" : "Freeze Redis") },
  { action: "distance", key: "d", label: (state) => distanceLabel(redis(state)?.distanceMs ?? 0) },
];

/** "Stores 0.5 ms away (now 0)": the next of the distances the button steps through. */
function distanceLabel(now: number): string {
  const next = STORE_DISTANCES_MS[(STORE_DISTANCES_MS.findIndex((ms) => ms === now) + 1) % STORE_DISTANCES_MS.length]!;
  return next === 0 ? `Stores back on loopback (now ${now} ms)` : `Stores ${next} ms away (now ${now})`;
}

export const CHAT_BUTTONS: Button[] = [
  { action: "chat-connect", key: "c", label: () => "Alice and Bob open the chat" },
  { action: "chat-write", key: "w", label: () => "Alice writes to Bob" },
  { action: "chat-type", key: "y", label: () => "Alice types" },
  { action: "kill-bobs-server", key: "b", label: () => "Kill Bob's server (kill -9)" },
];

export const KITCHEN_BUTTONS: Button[] = [
  { action: "kitchen-order", key: "o", label: () => `Dave orders ${KITCHEN_MEALS} meals of ${KITCHEN_PIZZAS} pizzas` },
  { action: "kill-busy-kitchen", key: "x", label: () => "Kill the server cooking Dave's order (kill -9)" },
];

/** Every button with a shortcut of its own. */
export const ALL_BUTTONS = [...SHOPPER_BUTTONS, ...CHAT_BUTTONS, ...KITCHEN_BUTTONS, ...FAULT_BUTTONS];

export const PLAY_KEY = "p";

/** The controls' markup: five groups of buttons, and the replay's journey and pace. */
export function controlsHtml(): string {
  const group = (title: string, buttons: Button[]) =>
    `<div class="group" role="group" aria-label="${title}"><h2>${title}</h2>${buttons
      .map(
        ({ action, key }) =>
          `<button type="button" data-action="${action}" aria-keyshortcuts="${key}"><kbd>${key.toUpperCase()}</kbd> <span></span></button>`,
      )
      .join("")}</div>`;
  return [
    // Numbered as the lesson's parts (apps/lab/parts.json): the cart 1, credit 2, the avatar 3…
    group("Parts 1–3: Alice shops (both sides)", SHOPPER_BUTTONS),
    group("Parts 4–5: the chat (both sides)", CHAT_BUTTONS),
    group("Part 6: the kitchen (both sides)", KITCHEN_BUTTONS),
    group("Faults (both sides)", FAULT_BUTTONS),
    `<div class="group" role="group" aria-label="Replay a journey"><h2>Replay a <code>pnpm compare</code> journey</h2>
      <label>Journey <select id="journey"></select></label>
      <label>Pace <select id="pace">
        <option value="0">fast</option>
        <option value="400" selected>step by step</option>
        <option value="1200">slow</option>
      </select></label>
      <button type="button" data-action="play" aria-keyshortcuts="${PLAY_KEY}"><kbd>${PLAY_KEY.toUpperCase()}</kbd> <span>Play</span></button>
      <p id="story"></p>
    </div>`,
  ].join("");
}

/** Labels and disabled states follow the state; the journey list is filled once. */
export function updateControls(root: HTMLElement, state: DashboardState): void {
  for (const button of ALL_BUTTONS) {
    const element = root.querySelector<HTMLButtonElement>(`button[data-action="${button.action}"]`)!;
    element.querySelector("span")!.textContent = button.label(state);
  }
  // aria-disabled rather than disabled: a disabled button drops the keyboard focus.
  for (const element of root.querySelectorAll<HTMLButtonElement>("button")) {
    element.setAttribute("aria-disabled", String(state.busy !== null));
  }
  const select = root.querySelector<HTMLSelectElement>("#journey")!;
  if (select.options.length === 0) {
    select.innerHTML = state.journeys
      .map(({ name }) => `<option value="${escapeHtml(name)}">${escapeHtml(name)}</option>`)
      .join("");
  }
  const journey = state.journeys.find(({ name }) => name === select.value);
  root.querySelector("#story")!.textContent = journey
    ? `${journey.story}. Expected: stateful ${journey.expected.stateful}, stateless ${journey.expected.stateless}.`
    : "";
}
