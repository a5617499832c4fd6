// The demo users, and logging them in over plain HTTP by the hundred for the tools that need many
// sessions (bench, memory). The journeys' browsers (shopper.ts) log in with a cookie jar instead.
export const DEMO_PASSWORDS = {
  alice: "pepperoni",
  bob: "margherita",
  carol: "calzone",
  dave: "diavola",
  erin: "funghi",
  frank: "quattro",
} as const;

export type DemoUser = keyof typeof DEMO_PASSWORDS;

/** The n-th of many users: alice and bob in turns (each login is a session of its own). */
export const nthUser = (n: number): DemoUser => (n % 2 ? "bob" : "alice");

/**
 * The n-th of many users who place orders by the thousand (the bench's, the chaos journey's):
 * dave, erin and frank in turns, whose store credit never runs out in a run (users.ts).
 */
export const nthBigSpender = (n: number): DemoUser => (["dave", "erin", "frank"] as const)[n % 3]!;

/** Logs `username` in at `url`; resolves with the Cookie header a browser would send from then on. */
export async function logIn(url: string, username: DemoUser): Promise<string> {
  const response = await fetch(`${url}/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password: DEMO_PASSWORDS[username] }),
  });
  if (response.status !== 200) throw new Error(`POST /auth/login at ${url} → ${response.status}`);
  return response.headers
    .getSetCookie()
    .map((header) => header.split(";")[0])
    .join("; ");
}
