// Store credit as a journey sees it: a user's browsers spread over the servers, and what each
// server says her wallet holds. The ATM story's two journeys start from here.
import type { DemoUser } from "../rig/demo-logins";
import type { JourneyContext } from "./journey";
import type { Shopper } from "./shopper";
import { JourneyFailure } from "./steps";

export interface WalletView {
  readonly server: string;
  readonly balanceCents: number;
  /** What the ledger's lines add up to: the balance, if the ledger is honest. */
  readonly ledgerSumCents: number;
}

/** GET /wallet, and which server answered. */
export async function walletOf(shopper: Shopper): Promise<WalletView> {
  const reply = await shopper.expect(200, "GET", "/wallet");
  const ledger = reply.body.ledger as { amountCents: number }[];
  return {
    server: reply.instance,
    balanceCents: reply.body.balanceCents,
    ledgerSumCents: ledger.reduce((sum, line) => sum + line.amountCents, 0),
  };
}

/**
 * `user`'s browsers, each logged in on a server none of the others logged in on (as the login's
 * X-Served-By says): one per server, or as many as new browsers could reach in a few tries each.
 * A sticky balancer keeps each on its server; round-robin sends its later requests anywhere.
 */
export async function browsersOnEveryServer(context: JourneyContext, user: DemoUser): Promise<Shopper[]> {
  const servers = Math.max(2, context.instanceIds().length);
  const name = user[0]!.toUpperCase() + user.slice(1);
  const browsers: Shopper[] = [];
  for (let attempt = 1; attempt <= 3 * servers && browsers.length < servers; attempt++) {
    const browser = context.shopper(`${name} at ATM ${browsers.length + 1}`, user);
    await browser.login();
    if (!browsers.some((other) => other.lastInstance === browser.lastInstance)) browsers.push(browser);
  }
  if (browsers.length < 2) throw new JourneyFailure(`every login of ${name}'s landed on ${browsers[0]?.lastInstance}`);
  return browsers;
}
