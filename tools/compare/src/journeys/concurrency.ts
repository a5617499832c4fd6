import type { Journey } from "./journey";
import { JourneyFailure } from "./steps";

const PARALLEL = 20;

export const concurrency: Journey = {
  name: "concurrency",
  story: "Alice fires 20 add-to-cart requests at once; the cart must hold 20 Cokes",
  expected: { stateful: "pass", stateless: "pass" },
  async run(context) {
    const alice = context.shopper("Alice");
    await alice.login();
    const replies = await Promise.all(
      Array.from({ length: PARALLEL }, () => alice.send("POST", "/cart/items", { sku: "coke", quantity: 1 })),
    );
    const refused = replies.filter((reply) => reply.status !== 200);
    if (refused.length > 0) {
      const answers = refused.map((reply) => `${reply.status} ${reply.body?.error?.code ?? ""}`.trim());
      throw new JourneyFailure(`${refused.length} of ${PARALLEL} parallel adds were refused (${answers.join(", ")})`);
    }
    const servers = new Set(replies.map((reply) => reply.instance));
    context.note("servedBy", [...servers].sort());
    await alice.expectCart({ coke: PARALLEL });
  },
};
