// A request sent as raw bytes, for what no HTTP client will send: a request line that is not
// HTTP, headers over the server's limit. The answer is read until the server closes.
import { connect } from "node:net";

export interface RawAnswer {
  readonly status: number;
  /** Header names in lower case. */
  readonly headers: Record<string, string>;
  readonly body: string;
}

const TIMEOUT_MS = 5000;

export function sendRaw(port: number, bytes: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    socket.setTimeout(TIMEOUT_MS, () => socket.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    // A server that closes while bytes are still on their way may reset the connection: what it
    // sent before still counts.
    socket.on("error", (error) => (chunks.length > 0 ? undefined : reject(error)));
    socket.on("close", () => {
      if (chunks.length === 0) return reject(new Error("the server closed without answering"));
      resolve(parseAnswer(Buffer.concat(chunks).toString("utf8")));
    });
    socket.end(bytes);
  });
}

function parseAnswer(raw: string): RawAnswer {
  const split = raw.indexOf("\r\n\r\n");
  const [statusLine, ...headerLines] = raw.slice(0, split).split("\r\n");
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(":");
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(statusLine?.split(" ")[1]), headers, body: raw.slice(split + 4) };
}

/** A GET whose headers add up to `bytes`: over Node's 16 kB limit, the parser refuses it. */
export const oversizedHeaders = (bytes = 20_000) =>
  `GET /catalog HTTP/1.1\r\nHost: shop.example\r\nX-Padding: ${"a".repeat(bytes)}\r\n\r\n`;

/** A request line that is not HTTP at all. */
export const notHttp = "HELLO THERE\r\n\r\n";
