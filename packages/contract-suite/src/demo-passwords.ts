/** The demo users the tests log in as (demo data: see packages/cart-domain/src/users.ts). */
export const PASSWORDS: Record<string, string> = {
  alice: "pepperoni",
  bob: "margherita",
  carol: "calzone",
  dave: "diavola",
  erin: "funghi",
  frank: "quattro",
};
