// What every part of the contract spec needs: the app under test and a logged-in browser.
import type { Express } from "express";
import request from "supertest";
import type TestAgent from "supertest/lib/agent";
import { PASSWORDS } from "./demo-passwords";
import type { AppHarness } from "./harness";

export const PIZZA = { sku: "pepperoni-pizza", quantity: 1 };

export interface ContractClient {
  readonly name: AppHarness["name"];
  readonly issuesTokens: boolean;
  /** The instance under test: the name in its X-Served-By. */
  readonly instanceId: string;
  readonly app: Express;
  loggedIn(username?: string): Promise<TestAgent>;
  addItem(agent: TestAgent, item: object): ReturnType<TestAgent["post"]>;
}

export function contractClient(harness: AppHarness): ContractClient {
  const instanceId = `${harness.name}-1`;
  const app = harness.instance(instanceId);
  return {
    name: harness.name,
    issuesTokens: harness.issuesTokens,
    instanceId,
    app,
    async loggedIn(username = "alice") {
      const agent = request.agent(app);
      await agent.post("/auth/login").send({ username, password: PASSWORDS[username] }).expect(200);
      return agent;
    },
    addItem: (agent, item) => agent.post("/cart/items").send(item),
  };
}
