// One column of the dashboard: the balancer, the servers behind it, where the state lives, and
// Alice as she sees the shop. Status is in words as well as colour (projectors wash colours out).
import type {
  AvatarAnswerView,
  ChatterView,
  ChatView,
  InstanceView,
  KitchenView,
  ShopperView,
  SideView,
  StoreView,
  WalletAnswerView,
} from "../../src/workshop/dashboard-state";
import { escapeHtml, money } from "./format";

const TITLES: Record<SideView["app"], { title: string; lesson: string }> = {
  stateful: {
    title: "Stateful",
    lesson:
      "Each server keeps its users' sessions, carts, store credit, chat and kitchen queue in its own memory, and their " +
      "avatars on its own disk.",
  },
  stateless: {
    title: "Stateless",
    lesson:
      "Servers keep only the chat's open sockets: sessions, carts and the rest of the chat live in Redis, " +
      "orders, store credit and the kitchen's queue in PostgreSQL, avatars in object storage.",
  },
};

/** The side's title and its lesson in one sentence: above its architecture diagram. */
export function sideHeadHtml(side: SideView): string {
  const { title, lesson } = TITLES[side.app];
  return `<h2>${title}</h2><p class="lesson">${lesson}</p>`;
}

/** The rest of the side, under its diagram: the servers and the store in words, Alice's view, the log. */
export function sideHtml(side: SideView): string {
  const { title } = TITLES[side.app];
  return `
    <div class="balancer">${escapeHtml(side.balancer.kind)}: <strong>${side.balancer.policy === "sticky" ? "sticky" : "round-robin"}</strong></div>
    <ul class="instances" aria-label="Servers">${side.instances.map(instanceHtml).join("")}</ul>
    ${storeHtml(side.store)}
    ${shopperHtml(side.shopper)}
    ${walletsHtml(side.wallets)}
    ${avatarsHtml(side.avatars)}
    ${chatHtml(side.chat)}
    ${kitchenHtml(side.kitchen)}
    ${side.lastPlay ? playHtml(side.lastPlay) : ""}
    <h3>Requests</h3>
    <ol class="log" aria-live="polite" aria-label="${title} request log"></ol>`;
}

function instanceHtml(instance: InstanceView): string {
  const sessions = instance.sessionsInMemory === null ? "—" : String(instance.sessionsInMemory);
  return `<li class="instance ${instance.up ? "up" : "down"}" data-instance="${escapeHtml(instance.id)}">
    <span class="name">${escapeHtml(instance.id)}</span>
    <span class="state">${instance.up ? "UP" : "DOWN"}</span>
    <span class="stat">sessions in memory: <strong>${sessions}</strong></span>
    <span class="stat">requests: <strong>${instance.served}</strong></span>
    <span class="stat kitchen-stat">kitchen: <strong>${kitchenStat(instance.kitchen)}</strong></span>
  </li>`;
}

function kitchenStat(kitchen: InstanceView["kitchen"]): string {
  if (!kitchen) return "—";
  // A stateless server keeps no queue of its own: its waiting orders are in PostgreSQL.
  return `${kitchen.cooking} cooking${kitchen.waiting ? `, ${kitchen.waiting} waiting here` : ""}`;
}

function storeHtml(store: StoreView | null): string {
  if (!store) return `<div class="store none">No shared store: nothing outside the servers remembers Alice.</div>`;
  const keys = store.frozen
    ? "FROZEN"
    : store.keys === null
      ? "not answering"
      : `${store.keys} keys, ${store.sessions ?? "?"} of them sessions`;
  return `<div class="store ${store.frozen || store.keys === null ? "down" : "up"}">Redis: <strong>${keys}</strong></div>`;
}

function shopperHtml(shopper: ShopperView): string {
  const cart = shopper.cart
    ? shopper.cart.lines.length === 0
      ? `<p class="cart-empty">Cart is empty.</p>`
      : `<table class="cart"><tbody>${shopper.cart.lines
          .map(
            (line) =>
              `<tr><td>${line.quantity}×</td><td>${escapeHtml(line.name)}</td><td class="money">${money(line.lineTotalCents)}</td></tr>`,
          )
          .join(
            "",
          )}</tbody><tfoot><tr><td></td><td>Total</td><td class="money">${money(shopper.cart.totalCents)}</td></tr></tfoot></table>`
    : `<p class="cart-empty">${shopper.loggedIn ? "Cart not seen yet." : "No cart: not logged in."}</p>`;
  const answer = shopper.lastAnswer;
  const failed = answer && (answer.status < 200 || answer.status >= 300);
  return `<div class="shopper" aria-label="${escapeHtml(shopper.name)}'s view">
    <h3>${escapeHtml(shopper.name)} — ${shopper.loggedIn ? "logged in" : "not logged in"}</h3>
    ${cart}
    ${answer ? `<p class="answer ${failed ? "error" : "ok"}">${escapeHtml(answer.text)}</p>` : ""}
  </div>`;
}

/** Alice's store credit as each server said it: the ATMs agree, or they do not. */
function walletsHtml(wallets: WalletAnswerView[] | null): string {
  if (!wallets) return `<div class="wallets none">Alice's store credit: not asked yet (press 7).</div>`;
  const amounts = new Set(wallets.filter((wallet) => wallet.cents !== null).map((wallet) => wallet.cents));
  const verdict =
    amounts.size > 1
      ? `<p class="answer error">The servers disagree, like ATMs that keep their own balances.</p>`
      : `<p class="answer ok">Every server says the same.</p>`;
  const rows = wallets
    .map(
      (wallet) =>
        `<li data-instance="${escapeHtml(wallet.server)}"><span class="name">${escapeHtml(wallet.server)}</span> says <strong>${escapeHtml(wallet.text)}</strong></li>`,
    )
    .join("");
  return `<div class="wallets" aria-label="Alice's store credit, as each server says"><h3>Alice's store credit, as each server says</h3><ul>${rows}</ul>${verdict}</div>`;
}

/** Alice's avatar as each server served it: the same picture everywhere, or only where it was saved. */
function avatarsHtml(avatars: AvatarAnswerView[] | null): string {
  if (!avatars) return `<div class="avatars none">Alice's avatar: not uploaded yet (press 8).</div>`;
  const everywhere = avatars.length > 0 && avatars.every((avatar) => avatar.current);
  const verdict = everywhere
    ? `<p class="answer ok">Every server serves the picture she uploaded.</p>`
    : `<p class="answer error">Not every server has it: a file saved on one server's disk is on that disk only.</p>`;
  const rows = avatars
    .map((avatar) => {
      const shown = avatar.picture
        ? `<img src="${escapeHtml(avatar.picture)}" alt="${escapeHtml(avatar.text)}" width="32" height="32" />`
        : `<span class="no-picture" aria-hidden="true">?</span>`;
      return `<li data-instance="${escapeHtml(avatar.server)}" class="${avatar.current ? "current" : "missing"}">${shown}<span class="name">${escapeHtml(avatar.server)}</span> <strong>${escapeHtml(avatar.text)}</strong></li>`;
    })
    .join("");
  return `<div class="avatars" aria-label="Alice's avatar, as each server serves it"><h3>Alice's avatar, as each server serves it</h3><ul>${rows}</ul>${verdict}</div>`;
}

function chatHtml(chat: ChatView | null): string {
  if (!chat) return `<div class="chat none">Chat: nobody connected yet (press C).</div>`;
  return `<div class="chat" aria-label="Chat">
    ${chatterHtml("Alice", chat.alice)}
    ${chatterHtml("Bob", chat.bob)}
  </div>`;
}

/** One chat window: where its socket is, what it knows, the last messages (text as text, never markup). */
function chatterHtml(name: string, view: ChatterView): string {
  const where = view.refused
    ? `refused: ${escapeHtml(view.refused)}`
    : `${view.connected ? "on" : "was on"} <strong>${escapeHtml(view.server)}</strong>` +
      (view.reconnects ? ` (reconnected ${view.reconnects}×)` : "");
  const unread = Object.entries(view.unread)
    .map(([from, count]) => `${escapeHtml(from)} ${count}`)
    .join(", ");
  const messages = view.messages
    .map(
      (message) =>
        `<li><span class="from">${escapeHtml(message.from)}</span> ${escapeHtml(message.text)} <span class="via">#${message.id} via ${escapeHtml(message.servedBy)}</span></li>`,
    )
    .join("");
  return `<div class="chatter ${view.refused ? "down" : view.connected ? "up" : "down"}" data-user="${name.toLowerCase()}">
    <h4>${name}'s chat: ${where}</h4>
    <p class="stat">online: <strong>${escapeHtml(view.online.join(", ") || "nobody")}</strong></p>
    <p class="stat typing">${view.typing.length ? `${escapeHtml(view.typing.join(", "))} is typing…` : "nobody typing"}</p>
    <p class="stat">unread: <strong>${unread || "none"}</strong></p>
    ${view.lastError ? `<p class="answer error">${escapeHtml(view.lastError)}</p>` : ""}
    <ol class="messages">${messages || "<li>No messages yet.</li>"}</ol>
  </div>`;
}

/** Dave's orders: where each is in the kitchen and who cooks it, or that it is gone with its server. */
function kitchenHtml(kitchen: KitchenView | null): string {
  if (!kitchen) return `<div class="kitchen none">Kitchen: Dave has not ordered yet (press O).</div>`;
  const count = (status: string) => kitchen.orders.filter((order) => order.status === status).length;
  const summary = (["ready", "preparing", "placed", "gone"] as const)
    .map((status) => `${count(status)} ${status === "placed" ? "waiting" : status}`)
    .join(", ");
  const server = (id: string | null) => `<strong>${escapeHtml(id ?? "?")}</strong>`;
  const rows = kitchen.orders
    .map((order, n) => {
      const again = order.attempts > 1 ? ` (attempt ${order.attempts})` : "";
      const what = {
        placed: "waiting",
        preparing: `cooking on ${server(order.preparedBy)}${again}`,
        ready: `ready, cooked by ${server(order.preparedBy)}${again}`,
        gone: `gone: ${server(kitchen.answeredBy)} does not know it`,
      }[order.status];
      return `<li class="order ${order.status}" data-order="${escapeHtml(order.id)}">#${n + 1} ${what}</li>`;
    })
    .join("");
  return `<div class="kitchen" aria-label="Dave's orders in the kitchen">
    <h3>Dave's orders — the queue is in ${escapeHtml(kitchen.queue ?? "?")}</h3>
    <p class="stat summary">${summary}</p>
    ${kitchen.answer ? `<p class="answer error">${escapeHtml(kitchen.answer)}</p>` : ""}
    <ol class="orders">${rows}</ol>
  </div>`;
}

function playHtml(play: NonNullable<SideView["lastPlay"]>): string {
  const matched = play.outcome === play.expected;
  return `<p class="verdict ${play.outcome === "pass" ? "ok" : "error"}">
    ${escapeHtml(play.journey)}: <strong>${play.outcome.toUpperCase()}</strong> (expected ${play.expected}${matched ? ", as predicted" : ", NOT as predicted"})
    ${play.failure ? `<br />${escapeHtml(play.failure)}` : ""}</p>`;
}
