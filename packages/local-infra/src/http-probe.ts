// A GET that says whether and how a server answered, for the probes that run many times a second
// while a cluster lives (a balancer's health checks, waiting for a server to start): through
// node:http, at a small fraction of fetch's CPU (a profile of `pnpm compare` put the health
// checks' fetch calls at a tenth of the suite's own process), and over one kept-alive connection
// when given an agent, as HAProxy reuses its checks' connections.
import { get, type Agent } from "node:http";

export interface ProbeAnswer {
  readonly status: number;
  readonly body: string;
}

/** The answer to GET `url`, or undefined when there was none within `timeoutMs` (refused, reset, silent). */
export function probe(
  url: string,
  { timeoutMs, agent }: { timeoutMs: number; agent?: Agent },
): Promise<ProbeAnswer | undefined> {
  return new Promise((resolve) => {
    const request = get(url, { agent, timeout: timeoutMs }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      response.on("error", () => resolve(undefined));
    });
    request.on("timeout", () => request.destroy());
    request.on("error", () => resolve(undefined));
  });
}
