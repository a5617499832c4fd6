// Alice and Bob in the chat, each on a server of their own: what every cross-server chat journey
// starts from. Which server holds a socket is read from the upgrade's X-Served-By, so the report
// proves they really were apart.
import type { Chatter } from "./chatter";
import type { JourneyContext } from "./journey";
import { JourneyFailure } from "./steps";

/** Alice's chat, then Bob's on another server: a new browser for Bob until the balancer sends him elsewhere. */
export async function chatPairApart(context: JourneyContext): Promise<{ alice: Chatter; bob: Chatter }> {
  const aliceBrowser = context.shopper("Alice", "alice");
  await aliceBrowser.login();
  const alice = await context.chat(aliceBrowser);
  const tries = 2 * Math.max(2, context.instanceIds().length);
  for (let attempt = 1; attempt <= tries; attempt++) {
    const bobBrowser = context.shopper("Bob", "bob");
    await bobBrowser.login();
    const bob = await context.chat(bobBrowser);
    if (bob.servedBy !== alice.servedBy) {
      context.note("servers", { alice: alice.servedBy, bob: bob.servedBy });
      return { alice, bob };
    }
    bob.close();
  }
  throw new JourneyFailure(`Bob's chat landed on ${alice.servedBy}, Alice's server, ${tries} times out of ${tries}`);
}
