import { BadCredentialsError, findUser, verifyCredentials } from "../src";

describe("verifyCredentials", () => {
  it("accepts the demo users with their passwords", async () => {
    await expect(verifyCredentials("alice", "pepperoni")).resolves.toEqual({ id: "alice", name: "Alice" });
    await expect(verifyCredentials("bob", "margherita")).resolves.toEqual({ id: "bob", name: "Bob" });
    await expect(verifyCredentials("carol", "calzone")).resolves.toEqual({ id: "carol", name: "Carol" });
    for (const [username, password] of [
      ["dave", "diavola"],
      ["erin", "funghi"],
      ["frank", "quattro"],
    ]) {
      await expect(verifyCredentials(username!, password!)).resolves.toMatchObject({ id: username });
    }
  });

  it.each([
    ["a wrong password", "alice", "margherita"],
    ["an unknown user", "mallory", "pepperoni"],
    ["an empty password", "alice", ""],
    ["a prototype key as username", "__proto__", "pepperoni"],
  ])("refuses %s", async (_case, username, password) => {
    await expect(verifyCredentials(username, password)).rejects.toBeInstanceOf(BadCredentialsError);
  });
});

describe("findUser", () => {
  it("returns the public part of a user only", () => {
    expect(findUser("alice")).toEqual({ id: "alice", name: "Alice" });
    expect(findUser("nobody")).toBeUndefined();
  });
});
