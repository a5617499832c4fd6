// Where an app that keeps its state in Redis finds it, as a configuration variable for readEnv.
import { z } from "zod";

/** `redis://host:port` (or `rediss://` for TLS), required. */
export const redisUrl = (name: string) =>
  z
    .string({ message: `${name} is required, e.g. redis://127.0.0.1:6379` })
    .regex(/^rediss?:\/\/\S+$/, `${name} must look like redis://host:port`);
