// How long a chat message took to come back to its sender: the same run's measure of how fast this
// side's servers and store answer right now, for a budget that must not flip on a busy machine
// (pace.ts). The sender's server takes the message, keeps it and sends it back, as it sends it on.
import type { Chatter } from "./chatter";

const ECHO_WAIT_MS = 5000;

/** Milliseconds until `sender` gets its message `text` back (just sent); 0 if it does not (an error, or nothing). */
export async function echoOf(sender: Chatter, text: string): Promise<number> {
  const started = performance.now();
  const before = sender.frames.length;
  const answer = await sender.next(
    (frame) =>
      sender.frames.indexOf(frame) >= before &&
      (frame.type === "error" || (frame.type === "message" && frame.text === text)),
    ECHO_WAIT_MS,
  );
  return answer?.type === "message" ? performance.now() - started : 0;
}
