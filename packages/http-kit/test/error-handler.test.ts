// The error middleware: every error becomes the contract's JSON, and a client's mistake is
// answered and logged as one (a 4xx request line, no error-level line, no stack trace).
import express from "express";
import pino from "pino";
import { Writable } from "node:stream";
import request from "supertest";
import { errorHandler, HttpError, notFound, requestLogger } from "../src";

function appWithLog() {
  const lines: Array<{ level: number; msg: string; err?: unknown; res?: { status: number } }> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  const app = express();
  app.use(requestLogger(pino({ level: "info" }, sink)));
  app.get("/items/:sku", (req, res) => void res.json({ sku: req.params.sku }));
  app.get("/refused", () => {
    // What http-errors makes (and the body parser, and many an Express layer): a 4xx with a message for the client.
    throw Object.assign(new Error("Use GET /items instead"), { status: 405, expose: true });
  });
  app.get("/refused-privately", () => {
    throw Object.assign(new Error("internal detail: table users_v2"), { statusCode: 409 });
  });
  app.get("/ours", () => {
    throw new HttpError(404, "UNKNOWN_USER", 'There is no user "zed"');
  });
  app.get("/bug", () => {
    throw new TypeError("cannot read properties of undefined");
  });
  app.use(notFound);
  app.use(errorHandler);
  return { app, lines };
}

describe("the error middleware", () => {
  it("answers a route parameter with a broken percent-escape 400 MALFORMED_URL, logged as a client error", async () => {
    const { app, lines } = appWithLog();
    const response = await request(app).get("/items/%E0%A4%A").expect(400);
    expect(response.body.error.code).toBe("MALFORMED_URL");
    expect(lines).toEqual([expect.objectContaining({ level: 30, res: { status: 400 } })]);
    expect(JSON.stringify(lines)).not.toContain("stack");
  });

  it("honours a 4xx an Express layer decided, with its message when it is meant for the client", async () => {
    const { app } = appWithLog();
    const response = await request(app).get("/refused").expect(405);
    expect(response.body).toEqual({ error: { code: "METHOD_NOT_ALLOWED", message: "Use GET /items instead" } });
  });

  it("keeps a 4xx's message private unless it is marked for the client", async () => {
    const { app } = appWithLog();
    const response = await request(app).get("/refused-privately").expect(409);
    expect(response.body).toEqual({ error: { code: "CONFLICT", message: "Conflict" } });
  });

  it("answers our own errors with their status and code", async () => {
    const { app } = appWithLog();
    const response = await request(app).get("/ours").expect(404);
    expect(response.body).toEqual({ error: { code: "UNKNOWN_USER", message: 'There is no user "zed"' } });
  });

  it("answers anything else 500 INTERNAL, without details, and logs it as an error with its stack", async () => {
    const { app, lines } = appWithLog();
    const response = await request(app).get("/bug").expect(500);
    expect(response.body).toEqual({ error: { code: "INTERNAL", message: "Something went wrong on our side" } });
    expect(lines).toContainEqual(expect.objectContaining({ level: 50, msg: "unexpected error" }));
    expect(JSON.stringify(lines)).toContain("TypeError: cannot read properties of undefined");
  });
});
