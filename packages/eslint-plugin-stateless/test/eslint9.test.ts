// The plugin also loads in ESLint 9 (flat config): its rules find the same state there, following
// an object the app makes once into another file as in ESLint 10.
import { join } from "node:path";
import plugin from "../src";

interface LinterLike {
  verify(code: string, config: object[], filename: string): { ruleId: string | null; line: number; message: string }[];
}
// eslint9 is ESLint 9, installed beside ESLint 10 under another name for this test.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Linter, ESLint } = require("eslint9") as {
  Linter: new (options: object) => LinterLike;
  ESLint: { version: string };
};

it("runs in ESLint 9's flat config: express-session with no store, and a service's Map followed into its file", () => {
  expect(ESLint.version).toMatch(/^9\./);
  const messages = new Linter({ configType: "flat", cwd: "/" }).verify(
    `const session = require("express-session");
const { CartService } = require("./services/cart-service");
app.use(session({ secret: "s" }));
const carts = new CartService();`,
    [{ files: ["**/*.js"], ...plugin.configs.recommended }],
    join(__dirname, "fixtures", "inline.js"),
  );
  expect(messages.map(({ ruleId, line }) => `${ruleId} ${line}`)).toEqual([
    "stateless/sessions-in-memory 3",
    "stateless/collections-in-memory 4",
  ]);
  expect(messages[1]!.message).toContain("CartService (");
});
