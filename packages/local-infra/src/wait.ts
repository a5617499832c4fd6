import { connect } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { probe } from "./http-probe";

/** Polls `check` until it returns true; throws `message` after `timeoutMs`. */
export async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, message: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await sleep(25);
  }
  throw new Error(message);
}

export function portAnswers(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

export async function httpAnswers(url: string): Promise<boolean> {
  const answer = await probe(url, { timeoutMs: 1000 });
  return answer !== undefined && answer.status >= 200 && answer.status < 300;
}

/** A server could not bind its port: another process took it after we found it free. */
export class PortTakenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PortTakenError";
  }
}
