import { NO_LOGIN_LIMITS } from "@cart/contract-suite";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp } from "../src/app";
import { loadConfig } from "../src/config";

// The disks of the test file's instances: one directory each, all removed after its tests.
const disks = mkdtempSync(join(tmpdir(), "cart-stateful-test-"));
afterAll(() => rmSync(disks, { recursive: true, force: true }));
let made = 0;

/** A disk named `name` among the file's: give it as AVATAR_DIR to instances that share a machine. */
export const disk = (name: string) => join(disks, name);

/**
 * A stateful instance as the tests run it: its own process memory and its own disk (AVATAR_DIR),
 * like a separate server. Login limits are out of the way unless a test sets them (`env`): they
 * have tests of their own.
 */
export const statefulInstance = (instanceId: string, env: Record<string, string> = {}) =>
  createApp(
    loadConfig({
      NODE_ENV: "test",
      INSTANCE_ID: instanceId,
      AVATAR_DIR: disk(`${instanceId}-${++made}`),
      ...NO_LOGIN_LIMITS,
      ...env,
    }),
  );
