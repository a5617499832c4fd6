// Demo users. Passwords are stored as scrypt hashes ("scrypt:<salt hex>:<hash hex>") and checked
// in constant time; an unknown username costs the same scrypt work, so timing reveals nothing.
// Each starts with store credit: a few pizzas' worth for the people of the stories, far more for
// the users that load tests shop as (they place thousands of orders in a run).
import { scrypt, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";
import { BadCredentialsError } from "./errors";

export interface User {
  readonly id: string;
  readonly name: string;
}

interface StoredUser extends User {
  readonly username: string;
  readonly passwordHash: string;
  readonly startingCreditCents: number;
}

const A_FEW_PIZZAS = 10_000; // $100.00
const WELL_FUNDED = 100_000_000; // $1,000,000.00

// Demo only: alice / pepperoni, bob / margherita, carol / calzone, and dave, erin and frank, the
// shoppers of the bench and of the kitchen's journeys (docs/contract.md lists them all).
const USERS: readonly StoredUser[] = [
  {
    id: "alice",
    username: "alice",
    name: "Alice",
    passwordHash:
      "scrypt:db6b3fd7df92034cef1fd3bb158b5885:7739f9087f108b9b43fca52755c9edf75029dca4f2a08204afa10f44d0a4be64",
    startingCreditCents: A_FEW_PIZZAS,
  },
  {
    id: "bob",
    username: "bob",
    name: "Bob",
    passwordHash:
      "scrypt:f11e00cebddb954daae8d475d0b22607:c911120965e0dfb9f6bd4df5574b094d11b4e59d32b96ceec1a8b012b58e2044",
    startingCreditCents: A_FEW_PIZZAS,
  },
  {
    id: "carol",
    username: "carol",
    name: "Carol",
    passwordHash:
      "scrypt:75dbb29d96c0633d0dedd53400e761b4:267b4880f16dc17f649bd85d6a53e077718b57d9b60b72fbb13b711100555efc",
    startingCreditCents: A_FEW_PIZZAS,
  },
  {
    id: "dave",
    username: "dave",
    name: "Dave",
    passwordHash:
      "scrypt:4b676f2b6046ea3d4bd1f10866176d77:00f36c3323146296bcd39d52aa33a4638d33dcc0688a97d62fbd4f28197b54f9",
    startingCreditCents: WELL_FUNDED,
  },
  {
    id: "erin",
    username: "erin",
    name: "Erin",
    passwordHash:
      "scrypt:88ce5e4ef599544c50fa988de6b993a6:9b61ef0b6bd51632ecd7aadf0ab5dc08963a8aaa7467712731b07436fa02cb05",
    startingCreditCents: WELL_FUNDED,
  },
  {
    id: "frank",
    username: "frank",
    name: "Frank",
    passwordHash:
      "scrypt:dcffc9a7f1b8687aed042ee94c82aa72:fbd16a34a8144b2ea0fdb42192173017e544c32afe2f7adf6602deb32d5e7c53",
    startingCreditCents: WELL_FUNDED,
  },
];

// Compared against when the username is unknown, so that path does the same work.
const DUMMY_HASH =
  "scrypt:78b51f6cbe2ee2b64285018b127ce4fa:953f6124cef1f8c5959c1c6e3d9853bed4e80acb841942116a123e9061a8d5ca";

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;

async function passwordMatches(password: string, stored: string): Promise<boolean> {
  const [, saltHex = "", hashHex = ""] = stored.split(":");
  const expected = Buffer.from(hashHex, "hex");
  const actual = await scryptAsync(password, Buffer.from(saltHex, "hex"), expected.length);
  return timingSafeEqual(actual, expected);
}

/** Returns the user for a correct username and password; BadCredentialsError otherwise. */
export async function verifyCredentials(username: string, password: string): Promise<User> {
  const user = USERS.find((candidate) => candidate.username === username);
  const matches = await passwordMatches(password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !matches) throw new BadCredentialsError();
  return { id: user.id, name: user.name };
}

export function findUser(id: string): User | undefined {
  const user = USERS.find((candidate) => candidate.id === id);
  return user && { id: user.id, name: user.name };
}

/** Every demo user's id and the store credit their wallet opens with. */
export function startingCredits(): { userId: string; cents: number }[] {
  return USERS.map((user) => ({ userId: user.id, cents: user.startingCreditCents }));
}
