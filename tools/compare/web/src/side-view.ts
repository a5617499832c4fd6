// One column of the dashboard: the balancer, the servers behind it, where the state lives, and
// Alice as she sees the shop. Status is in words as well as colour (projectors wash colours out).
import type { InstanceView, ShopperView, SideView, StoreView } from "../../src/workshop/dashboard-state";
import { escapeHtml, money } from "./format";

const TITLES: Record<SideView["app"], { title: string; lesson: string }> = {
  stateful: { title: "Stateful", lesson: "Each server keeps its users' sessions and carts in its own memory." },
  stateless: { title: "Stateless", lesson: "Servers keep nothing: sessions and carts live in Redis." },
};

export function sideHtml(side: SideView): string {
  const { title, lesson } = TITLES[side.app];
  return `
    <h2>${title}</h2>
    <p class="lesson">${lesson}</p>
    <div class="balancer">${escapeHtml(side.balancer.kind)}: <strong>${side.balancer.policy === "sticky" ? "sticky" : "round-robin"}</strong></div>
    <ul class="instances" aria-label="Servers">${side.instances.map(instanceHtml).join("")}</ul>
    ${storeHtml(side.store)}
    ${shopperHtml(side.shopper)}
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
  </li>`;
}

function storeHtml(store: StoreView | null): string {
  if (!store) return `<div class="store none">No shared store: nothing outside the servers remembers Alice.</div>`;
  const keys = store.frozen ? "FROZEN" : store.keys === null ? "not answering" : `${store.keys} keys`;
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

function playHtml(play: NonNullable<SideView["lastPlay"]>): string {
  const matched = play.outcome === play.expected;
  return `<p class="verdict ${play.outcome === "pass" ? "ok" : "error"}">
    ${escapeHtml(play.journey)}: <strong>${play.outcome.toUpperCase()}</strong> (expected ${play.expected}${matched ? ", as predicted" : ", NOT as predicted"})
    ${play.failure ? `<br />${escapeHtml(play.failure)}` : ""}</p>`;
}
