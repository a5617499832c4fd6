// LAB SOLUTION, step 4: express-session's store in Redis, with a deadline on every call.
// express-session waits for its store before it answers (reading the session, and touching it
// as the response ends), and a command sent to a frozen Redis waits forever: without a deadline,
// one hung Redis hangs every request. With it, they get 503 STORE_UNAVAILABLE within a second.
import { storeCall } from "@cart/redis-kit";
import { RedisStore } from "connect-redis";
import type { SessionData } from "express-session";

// connect-redis's own callback type, which express-session's Store accepts.
type Callback = NonNullable<Parameters<RedisStore["get"]>[1]>;

export class RedisSessionStore extends RedisStore {
  override get(sid: string, callback?: Callback) {
    return withDeadline(() => super.get(sid), callback);
  }

  override set(sid: string, session: SessionData, callback?: Callback) {
    return withDeadline(() => super.set(sid, session), callback);
  }

  override touch(sid: string, session: SessionData, callback?: Callback) {
    return withDeadline(() => super.touch(sid, session), callback);
  }

  override destroy(sid: string, callback?: Callback) {
    return withDeadline(() => super.destroy(sid), callback);
  }
}

function withDeadline(operation: () => Promise<unknown>, callback?: Callback): Promise<unknown> {
  return storeCall(operation).then(
    (data) => callback?.(null, data) ?? data,
    (error: unknown) => {
      if (!callback) throw error;
      return callback(error);
    },
  );
}
