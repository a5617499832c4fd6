// What one server says when asked directly, bypassing the balancer (the log's routes would
// otherwise claim it went through): the dashboard's ATM and avatar stories. What each answers is
// what its store holds: its own memory and disk, or the stores every server shares.
import { formatCents } from "@cart/domain";
import { avatarView } from "../journeys/avatars";
import { Shopper } from "../journeys/shopper";
import { JourneyFailure } from "../journeys/steps";
import type { AvatarAnswerView, LogTone, WalletAnswerView } from "./dashboard-state";

type Log = (text: string, tone: LogTone) => void;

/**
 * Alice walks up to the server like to an ATM of a bank: logs in there, asks for her wallet, and
 * logs out (so no session is left behind to count).
 */
export async function walletAt(id: string, url: string, log: Log): Promise<WalletAnswerView> {
  const teller = new Shopper(`Alice at ${id}`, "alice", url, () => undefined);
  try {
    await teller.login();
    const wallet = await teller.expect(200, "GET", "/wallet");
    await teller.expect(204, "POST", "/auth/logout");
    const cents = wallet.body.balanceCents as number;
    log(`Alice asks ${id} directly for her credit, and logs out: ${formatCents(cents)}`, "ok");
    return { server: id, cents, text: formatCents(cents) };
  } catch (error) {
    if (!(error instanceof JourneyFailure)) throw error;
    log(`Alice asks ${id} directly for her credit: ${error.message}`, "error");
    return { server: id, cents: null, text: error.message };
  }
}

/**
 * A visitor (no login needed) asks the server for Alice's avatar: the picture she just uploaded
 * (`uploaded`, its fingerprint), an older one, or none.
 */
export async function avatarAt(
  id: string,
  url: string,
  uploaded: string | undefined,
  log: Log,
): Promise<AvatarAnswerView> {
  const reply = await new Shopper(`A visitor at ${id}`, "alice", url, () => undefined).send(
    "GET",
    "/users/alice/avatar",
  );
  const { fingerprint: seen, code, status } = avatarView(reply);
  const current = seen !== undefined && seen === uploaded;
  const text = seen ? (current ? "the picture she uploaded" : "an older picture") : `${status} ${code}`;
  log(`A visitor asks ${id} directly for Alice's avatar: ${text}`, current ? "ok" : "error");
  const picture = seen ? `data:${reply.contentType};base64,${reply.bytes.toString("base64")}` : null;
  return { server: id, picture, text, current };
}
