import type { Response } from "supertest";

/** Every error is `{ error: { code, message } }` in JSON: never HTML, never a stack trace. */
export function expectError(response: Response, status: number, code: string): void {
  expect({ status: response.status, code: response.body?.error?.code }).toEqual({ status, code });
  expect(response.headers["content-type"]).toMatch(/^application\/json/);
  expect(typeof response.body.error.message).toBe("string");
  expect(response.text).not.toMatch(/<html|at .*\.(js|ts):\d+/i);
}
