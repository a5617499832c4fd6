// Each side's architecture as a live SVG: the browser, the balancer, the servers and, on the
// stateless side, the stores; and the state drawn where it lives, from what the servers and Redis
// report (never guessed by the page): a dot per session (in the server's memory, or in Redis), a
// ring per open chat socket (on the server holding it, on both sides), a square for Alice's avatar
// (on the disks that serve it, or in object storage), a $ for her store credit (in each server's
// memory, or in PostgreSQL), a slice of pizza with a count for the orders in the kitchen (waiting
// and cooking in a stateful server's memory; cooking on a stateless server, and Dave's waiting in
// PostgreSQL). A killed server greys out, and its dots go with it. Each request is
// drawn travelling its path as it happens: balancer, server, the stores it used, in its answer's
// colour.
import type { RequestTrace, SideView } from "../../src/workshop/dashboard-state";
import { escapeHtml } from "./format";

const SVG_NS = "http://www.w3.org/2000/svg";
const WIDTH = 600;
const ROW = 62;
const BOX_HEIGHT = 52;
const TOP = 6;
const COLUMNS = { browser: 4, balancer: 118, server: 270, store: 442 } as const;
const WIDTHS = { browser: 92, balancer: 126, server: 150, store: 154 } as const;
/** Dots beyond these are counted ("+12"), not drawn: a server's box keeps room on its right for rings, $ and a square. */
const MAX_DOTS = { server: 5, store: 12 } as const;
const STORES = [
  { id: "redis", title: "Redis" },
  { id: "postgres", title: "PostgreSQL" },
  { id: "s3", title: "object storage" },
] as const;
/** How long a request takes to travel one hop, in ms: slow enough to follow on a projector. */
const HOP_MS = 220;
/**
 * A request waits at each store as long as its Server-Timing says it spent there, slowed down this
 * many times (at most MAX_WAIT_MS): on loopback a blink, with the stores 2 ms away a visible stop.
 */
const SLOW_MOTION = 100;
const MAX_WAIT_MS = 3000;

interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
}

/** The diagram's frame, made once per side: its state is redrawn in `g.state`, requests travel in `g.traffic`. */
export function createArchitectureSvg(app: SideView["app"]): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, "svg");
  svg.classList.add("architecture");
  svg.dataset.side = app;
  svg.setAttribute("role", "img");
  svg.setAttribute("width", "100%");
  svg.innerHTML = `<g class="state"></g><g class="traffic" aria-hidden="true"></g>`;
  return svg;
}

export function drawArchitecture(svg: SVGSVGElement, side: SideView): void {
  const servers = side.instances;
  const stores = side.app === "stateless" ? STORES : [];
  const rows = Math.max(servers.length, stores.length, 2);
  const height = TOP * 2 + rows * ROW;
  svg.setAttribute("viewBox", `0 0 ${WIDTH} ${height}`);
  svg.setAttribute("aria-label", describe(side));
  const middle = TOP + (rows * ROW) / 2 - BOX_HEIGHT / 2;
  const browser = { x: COLUMNS.browser, y: middle, width: WIDTHS.browser };
  const balancer = { x: COLUMNS.balancer, y: middle, width: WIDTHS.balancer };
  const serverBoxes = servers.map((_, index) => ({ x: COLUMNS.server, y: TOP + index * ROW, width: WIDTHS.server }));
  const storeOffset = (rows - stores.length) / 2;
  const storeBoxes = stores.map((_, index) => ({
    x: COLUMNS.store,
    y: TOP + (index + storeOffset) * ROW,
    width: WIDTHS.store,
  }));

  const links = [
    link(browser, balancer),
    ...serverBoxes.map((box) => link(balancer, box)),
    ...serverBoxes.flatMap((server) => storeBoxes.map((store) => link(server, store, "faint"))),
  ];
  const chatSockets = side.chat
    ? (["alice", "bob"] as const).filter((user) => side.chat![user].connected).map((user) => side.chat![user].server)
    : [];
  const avatarOn = new Set((side.avatars ?? []).filter((avatar) => avatar.current).map((avatar) => avatar.server));
  const creditOn = new Set((side.wallets ?? []).filter((wallet) => wallet.cents !== null).map((w) => w.server));
  const waitingInDatabase =
    side.app === "stateless" ? (side.kitchen?.orders ?? []).filter((order) => order.status === "placed").length : 0;

  const serverNodes = servers.map((server, index) => {
    const box = serverBoxes[index]!;
    const inKitchen = (server.kitchen?.waiting ?? 0) + (server.kitchen?.cooking ?? 0);
    const kitchenHere =
      side.app === "stateful"
        ? "orders in this server's kitchen, waiting and cooking in its memory"
        : "orders this server's kitchen workers are cooking";
    const marks = server.up
      ? [
          ...orders(box, inKitchen, kitchenHere),
          ...dots(box, server.sessionsInMemory ?? 0, MAX_DOTS.server, "a session in this server's memory"),
          ...rings(box, chatSockets.filter((id) => id === server.id).length),
          ...(side.app === "stateful" && avatarOn.has(server.id) ? [square(box, "Alice's avatar, on this disk")] : []),
          ...(side.app === "stateful" && creditOn.has(server.id)
            ? [credit(box, "Alice's credit, as this server keeps it")]
            : []),
        ]
      : [];
    const classes = `arch-server ${server.up ? "up" : "down"}`;
    // Down: said in words on its second line, where its dots were.
    return node(box, {
      title: server.id,
      ...(!server.up && { detail: "DOWN" }),
      classes,
      marks,
      data: { instance: server.id },
    });
  });
  const storeNodes = stores.map(({ id, title }, index) => {
    const box = storeBoxes[index]!;
    const down = id === "redis" && side.store !== null && (side.store.frozen || side.store.keys === null);
    const marks =
      id === "redis"
        ? dots(box, side.store?.sessions ?? 0, MAX_DOTS.store, "a session record in Redis")
        : id === "s3" && avatarOn.size > 0
          ? [square(box, "Alice's avatar, in object storage")]
          : id === "postgres"
            ? [
                ...(creditOn.size > 0 ? [credit(box, "Alice's credit, in PostgreSQL")] : []),
                ...orders(box, waitingInDatabase, "Dave's orders waiting in the kitchen's queue, in PostgreSQL"),
              ]
            : [];
    const away = side.store?.distanceMs ? `+${side.store.distanceMs} ms` : "";
    const status = down ? (side.store?.frozen ? "FROZEN" : "not answering") : away;
    return node(box, { title, status, classes: `arch-store ${down ? "down" : "up"}`, marks, data: { store: id } });
  });

  svg.querySelector("g.state")!.innerHTML = [
    ...links,
    node(browser, { title: "browsers", classes: "arch-browser", data: { node: "browser" } }),
    node(balancer, {
      title: "balancer",
      detail: side.balancer.policy,
      classes: "arch-balancer",
      data: { node: "balancer" },
    }),
    ...serverNodes,
    ...storeNodes,
  ].join("");
}

/** One request travelling: browser → balancer → server → each store it used and back → browser. */
export function drawRequest(svg: SVGSVGElement, trace: RequestTrace): void {
  if (window.matchMedia("(prefers-reduced-motion: reduce)").matches) return;
  const centre = (selector: string) => {
    const box = svg.querySelector<SVGRectElement>(`${selector} > rect`);
    if (!box) return undefined;
    const [x, y, width, height] = ["x", "y", "width", "height"].map((name) => Number(box.getAttribute(name)));
    return { x: x! + width! / 2, y: y! + height! / 2 };
  };
  const browser = centre("[data-node=browser]");
  const balancer = centre("[data-node=balancer]");
  if (!browser || !balancer) return;
  const server = trace.instance === "balancer" ? undefined : centre(`[data-instance="${CSS.escape(trace.instance)}"]`);
  // Each point of the path, and how long the request stays there before the next hop.
  const path: { x: number; y: number; waitMs: number }[] = [browser, balancer].map((at) => ({ ...at, waitMs: 0 }));
  if (server) {
    path.push({ ...server, waitMs: 0 });
    for (const { store, ms } of trace.stores) {
      const at = centre(`[data-store="${CSS.escape(store)}"]`);
      if (at) path.push({ ...at, waitMs: Math.min(MAX_WAIT_MS, ms * SLOW_MOTION) }, { ...server, waitMs: 0 });
    }
  }
  path.push(...path.slice(0, -1).reverse().slice(-2));
  const dot = document.createElementNS(SVG_NS, "circle");
  dot.setAttribute("r", "8");
  dot.classList.add("request", trace.status === 101 || (trace.status >= 200 && trace.status < 300) ? "ok" : "error");
  dot.dataset.status = String(trace.status);
  svg.querySelector("g.traffic")!.append(dot);
  const duration = HOP_MS * (path.length - 1) + path.reduce((sum, { waitMs }) => sum + waitMs, 0);
  let elapsed = 0;
  const frames = path.flatMap(({ x, y, waitMs }, index) => {
    const transform = `translate(${x}px, ${y}px)`;
    if (index > 0) elapsed += HOP_MS;
    const arrived = { transform, offset: elapsed / duration };
    elapsed += waitMs;
    return waitMs > 0 ? [arrived, { transform, offset: elapsed / duration }] : [arrived];
  });
  const flight = dot.animate(frames, { duration, easing: "linear" });
  flight.onfinish = () => dot.remove();
  flight.oncancel = () => dot.remove();
}

interface NodeDrawing {
  readonly title: string;
  /** On the title's line, at the right: a store's "FROZEN". */
  readonly status?: string;
  /** On the second line, when no mark is there: the balancer's routing. */
  readonly detail?: string;
  readonly classes: string;
  readonly marks?: readonly string[];
  readonly data: Readonly<Record<string, string>>;
}

function node(box: Box, { title, status, detail, classes, marks = [], data }: NodeDrawing): string {
  const attributes = Object.entries(data)
    .map(([key, value]) => `data-${key}="${escapeHtml(value)}"`)
    .join(" ");
  return `<g class="${classes}" ${attributes}>
    <rect x="${box.x}" y="${box.y}" width="${box.width}" height="${BOX_HEIGHT}" rx="6"></rect>
    <text x="${box.x + 8}" y="${box.y + 20}" class="title">${escapeHtml(title)}</text>
    ${status ? `<text x="${box.x + box.width - 8}" y="${box.y + 20}" class="status" text-anchor="end">${escapeHtml(status)}</text>` : ""}
    ${detail ? `<text x="${box.x + 8}" y="${box.y + 42}" class="detail">${escapeHtml(detail)}</text>` : ""}
    ${marks.join("")}
  </g>`;
}

function link(from: Box, to: Box, kind = ""): string {
  const y1 = from.y + BOX_HEIGHT / 2;
  const y2 = to.y + BOX_HEIGHT / 2;
  return `<line class="link ${kind}" x1="${from.x + from.width}" y1="${y1}" x2="${to.x}" y2="${y2}"></line>`;
}

/** `count` session dots along the bottom of `box`, at most `max`, and "+n" for the others. */
function dots(box: Box, count: number, max: number, title: string): string[] {
  const shown = Math.min(count, max);
  const marks = Array.from(
    { length: shown },
    (_, index) =>
      `<circle class="session" cx="${box.x + 12 + index * 13}" cy="${box.y + 38}" r="5"><title>${escapeHtml(title)}</title></circle>`,
  );
  if (count > shown)
    marks.push(`<text class="more" x="${box.x + 12 + shown * 13}" y="${box.y + 42}">+${count - shown}</text>`);
  return marks;
}

function rings(box: Box, count: number): string[] {
  return Array.from(
    { length: count },
    (_, index) =>
      `<circle class="socket" cx="${box.x + box.width - 14 - index * 16}" cy="${box.y + 38}" r="6"><title>an open chat socket, held by this server</title></circle>`,
  );
}

function square(box: Box, title: string): string {
  return `<rect class="avatar" x="${box.x + box.width - 56}" y="${box.y + 31}" width="12" height="12"><title>${escapeHtml(title)}</title></rect>`;
}

/** A slice of pizza and how many orders, on the title's line at the right (none: nothing drawn). */
function orders(box: Box, count: number, title: string): string[] {
  if (count === 0) return [];
  const [x, y] = [box.x + box.width - 22, box.y + 8];
  return [
    `<g class="orders" data-orders="${count}"><title>${escapeHtml(`${count} ${title}`)}</title>` +
      `<polygon points="${x},${y} ${x + 14},${y} ${x + 7},${y + 14}"></polygon>` +
      `<text x="${x - 3}" y="${y + 12}" text-anchor="end">${count}</text></g>`,
  ];
}

function credit(box: Box, title: string): string {
  return `<text class="credit" x="${box.x + box.width - 70}" y="${box.y + 43}"><title>${escapeHtml(title)}</title>$</text>`;
}

/** The diagram in words, for a screen reader and for the test: where each side keeps what. */
function describe(side: SideView): string {
  const servers = side.instances.map((server) => {
    if (!server.up) return `${server.id} down`;
    const cooking = server.kitchen?.cooking ? `, cooking ${server.kitchen.cooking} orders` : "";
    const waiting = server.kitchen?.waiting ? `, ${server.kitchen.waiting} orders waiting in memory` : "";
    return `${server.id} up, ${server.sessionsInMemory ?? 0} sessions in memory${cooking}${waiting}`;
  });
  const redis = side.store ? [`Redis: ${side.store.sessions ?? "unknown"} sessions`] : [];
  return [...servers, ...redis].join("; ");
}
