import { commonEnv, ConfigError, readEnv, secret } from "../src";

const shape = { ...commonEnv, SESSION_SECRET: secret("SESSION_SECRET", "signs the session cookie") };
const goodSecret = "x".repeat(32);

function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    readEnv(shape, env, { SESSION_SECRET: goodSecret });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("readEnv", () => {
  it("applies defaults: port 3000 on 127.0.0.1, sessions of 15 minutes", () => {
    expect(readEnv(shape, { SESSION_SECRET: goodSecret })).toMatchObject({
      PORT: 3000,
      HOST: "127.0.0.1",
      SESSION_TTL_SECONDS: 900,
    });
  });

  it("requires the secret outside NODE_ENV=test, saying how to make one", () => {
    expect(problems({ NODE_ENV: "production" })).toEqual([
      "SESSION_SECRET: SESSION_SECRET is required (generate one with: openssl rand -hex 32)",
    ]);
    expect(problems({ SESSION_SECRET: "" })).toHaveLength(1);
  });

  it("lets tests run without a secret", () => {
    expect(problems({ NODE_ENV: "test" })).toEqual([]);
  });

  it("reports every wrong variable on its own line", () => {
    expect(problems({ PORT: "http", INSTANCE_ID: "two words", SESSION_SECRET: "short" })).toEqual([
      "PORT: PORT must be a whole number",
      "INSTANCE_ID: INSTANCE_ID must be 1-64 letters, digits, '.', '_' or '-'",
      "SESSION_SECRET: SESSION_SECRET must be at least 32 characters (generate one with: openssl rand -hex 32)",
    ]);
  });

  it("refuses ports out of range", () => {
    expect(problems({ PORT: "70000", SESSION_SECRET: goodSecret })).toEqual(["PORT: PORT must be at most 65535"]);
  });
});
