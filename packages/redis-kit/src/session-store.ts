// Sessions in Redis: connect-redis's store (for express-session, or read and written directly, as
// the stateless app's session records are), with the stores' deadline on every call and each call
// timed as `redis`. express-session waits for its store before it answers (reading the session,
// and touching it as the response ends), and a command sent to a frozen Redis waits forever:
// without a deadline, one hung Redis hangs every request. With it, they get 503 STORE_UNAVAILABLE
// within a second.
import { RedisStore } from "connect-redis";
import type { SessionData } from "express-session";
import { storeCall } from "./redis-client";

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
