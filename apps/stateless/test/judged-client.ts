// A client of the stateless shop for store-faults.test.ts that judges every answer as it comes:
// while a store is away, an answer must be a success or a 503 within the stores' deadline plus
// half a second, never an error of another kind, a slow 503 or no answer at all. Requests go to
// the servers in turn, as a round-robin balancer would send them. What broke the rule is kept,
// in words, in `problems`.
import { PASSWORDS } from "@cart/contract-suite";
import { STORE_DEADLINE_MS } from "@cart/domain";

/** The longest a 503 may take: the stores' deadline, and half a second for the rest. */
export const FAST_503_MS = STORE_DEADLINE_MS + 500;
/** A request with no answer by then has none. */
const NO_ANSWER_MS = 5000;

export interface Answer {
  readonly status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the shop's JSON, read by each caller
  readonly body: any;
}

export class JudgedClient {
  readonly problems: string[] = [];
  private next = 0;

  constructor(readonly servers: readonly string[]) {}

  /** One request as `token`'s user to the next server; `body` is JSON, or a Buffer sent as an image. */
  async call(method: string, path: string, token?: string, body?: object | Buffer): Promise<Answer> {
    const server = this.servers[this.next++ % this.servers.length]!;
    const image = Buffer.isBuffer(body);
    const headers: Record<string, string> = {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body ? { "content-type": image ? "application/octet-stream" : "application/json" } : {}),
    };
    const started = performance.now();
    const what = `${method} ${path} on ${server}`;
    try {
      const response = await fetch(`${server}${path}`, {
        method,
        headers,
        body: image ? new Uint8Array(body) : body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(NO_ANSWER_MS),
      });
      const ms = performance.now() - started;
      const type = response.headers.get("content-type") ?? "";
      const answer = {
        status: response.status,
        body: type.startsWith("application/json") ? await response.json() : Buffer.from(await response.arrayBuffer()),
      };
      if (response.status === 503 && ms > FAST_503_MS) this.problems.push(`${what}: 503 after ${Math.round(ms)} ms`);
      if (response.status >= 400 && response.status !== 503)
        this.problems.push(`${what}: ${response.status} ${JSON.stringify(answer.body)}`);
      return answer;
    } catch (error) {
      this.problems.push(`${what}: no answer (${(error as Error).message})`);
      return { status: 0, body: undefined };
    }
  }

  /** Logs `username` in, trying again while the shop answers 503; resolves with the token. */
  async logIn(username: string): Promise<string> {
    for (;;) {
      const { status, body } = await this.call("POST", "/auth/login", undefined, {
        username,
        password: PASSWORDS[username],
      });
      if (status === 200) return body.token as string;
      if (status !== 503) throw new Error(`${username} cannot log in: ${status} ${JSON.stringify(body)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
