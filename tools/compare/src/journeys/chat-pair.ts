// Users in the chat on the servers a journey needs them on: what every cross-server chat journey
// starts from. Which server holds a socket is read from the upgrade's X-Served-By, so the report
// proves where each user really was.
import type { DemoUser } from "../rig/demo-logins";
import type { Chatter } from "./chatter";
import type { JourneyContext } from "./journey";
import { JourneyFailure } from "./steps";

/** What opening chats needs of a journey's context (the workshop gives it too). */
export type ChatRoom = Pick<JourneyContext, "shopper" | "chat" | "instanceIds" | "note">;

/** Alice's chat, then Bob's on another server. */
export async function chatPairApart(context: ChatRoom): Promise<{ alice: Chatter; bob: Chatter }> {
  const aliceBrowser = context.shopper("Alice", "alice");
  await aliceBrowser.login();
  const alice = await context.chat(aliceBrowser);
  const bob = await chatLandingOn(context, "bob", (server) => server !== alice.servedBy, `not ${alice.servedBy}`);
  context.note("servers", { alice: alice.servedBy, bob: bob.servedBy });
  return { alice, bob };
}

/**
 * `user`'s chat on a server that `wanted` accepts (`which` says it in words): a new browser each
 * try, logged in and connected through the balancer, until the balancer sends one there. Each
 * browser connects twice: a sticky balancer pins the second to the same server, but round-robin
 * moves it on (with the login in between, every connection would land on every other server).
 */
export async function chatLandingOn(
  context: ChatRoom,
  user: DemoUser,
  wanted: (server: string) => boolean,
  which: string,
): Promise<Chatter> {
  const name = user[0]!.toUpperCase() + user.slice(1);
  const tries = 2 * Math.max(2, context.instanceIds().length);
  for (let attempt = 1; attempt <= tries; attempt++) {
    const browser = context.shopper(name, user);
    await browser.login();
    for (let connection = 1; connection <= 2; connection++) {
      const chatter = await context.chat(browser);
      if (wanted(chatter.servedBy)) return chatter;
      chatter.close();
    }
  }
  throw new JourneyFailure(`${name}'s chat never landed on a server ${which}: ${tries} new browsers tried`);
}
