// Where an app that keeps durable data in PostgreSQL finds it, as a configuration variable for readEnv.
import { z } from "zod";

/** `postgres://user@host:port/database` (or `postgresql://`), required. */
export const databaseUrl = (name: string) =>
  z
    .string({ message: `${name} is required, e.g. postgres://postgres@127.0.0.1:5432/cart` })
    .regex(/^postgres(ql)?:\/\/\S+$/, `${name} must look like postgres://user@host:port/database`)
    .describe("e.g. `postgres://postgres@127.0.0.1:5432/cart`; migrated by the instances when they start");
