// The HTTP contract both apps serve, assembled over whichever adapters an app passes in.
// Middleware order is part of the contract: Server-Timing and the instance header first, errors last.
import {
  ChatService,
  timedInProcess,
  type AccountRepository,
  type AvatarRepository,
  type CartRepository,
  type ChatState,
  type Kitchen,
} from "@cart/domain";
import express from "express";
import helmet from "helmet";
import { authRoutes } from "./auth-routes";
import { avatarRoutes } from "./avatar-routes";
import { cartRoutes } from "./cart-routes";
import { ChatConnections } from "./chat-connections";
import { chatRoutes, type ShopChat } from "./chat-routes";
import { errorHandler, notFound } from "./error-handler";
import { healthRoutes } from "./health-routes";
import type { Identity } from "./identity";
import { jsonBody } from "./json-body";
import { createLogger, requestLogger } from "./logger";
import { sameOriginOnly } from "./same-origin";
import { serverTiming } from "./server-timing";
import type { CommonConfig } from "./env";
import { loginLimits, type RateLimitStoreFactory } from "./login-limits";

export interface ShopAppParts {
  readonly config: CommonConfig;
  readonly identity: Identity;
  readonly carts: CartRepository;
  /** Orders and store credit. */
  readonly accounts: AccountRepository;
  /** The workers that cook the orders placed (started by the app; runServer stops them). */
  readonly kitchen: Kitchen;
  readonly avatars: AvatarRepository;
  /** Whether every store the app keeps state in answers (for /readyz). */
  readonly isReady: () => Promise<boolean>;
  /** How many sessions this process holds in its own memory (for /healthz; none if left out). */
  readonly sessionsInMemory?: () => Promise<number>;
  /** Where the login limiters keep their counters. */
  readonly rateLimitStore: RateLimitStoreFactory;
  /**
   * Where the chat's state lives (GET /chat and its reads), for an app that has a chat: given this
   * server's open sockets, which stay here whatever the app, for delivering to them.
   */
  readonly chatState?: (connections: ChatConnections) => ChatState;
}

export function createShopApp(parts: ShopAppParts): express.Express {
  const { config, identity, isReady } = parts;
  // Server-Timing: a call to an adapter that used no store (its kit would have timed it) used
  // this process's memory.
  const [carts, accounts] = [timedInProcess(parts.carts), timedInProcess(parts.accounts)];
  const chatState =
    parts.chatState && ((connections: ChatConnections) => timedInProcess(parts.chatState!(connections)));
  const connections = new ChatConnections();
  const chat: ShopChat | undefined = chatState && {
    service: new ChatService(chatState(connections), config.instanceId),
    connections,
  };
  const app = express();
  const logger = createLogger(config.instanceId, config.logLevel);
  app.locals.logger = logger;
  // runServer closes the chat's sockets and stops the kitchen when the server stops.
  app.locals.chat = chat;
  app.locals.kitchen = parts.kitchen;
  app.disable("x-powered-by");
  app.set("trust proxy", config.trustProxy);
  // First: every store the request uses, from the login limiter to the error handler, is counted.
  app.use(serverTiming);
  app.use((_req, res, next) => {
    res.setHeader("X-Served-By", config.instanceId);
    next();
  });
  app.use(helmet());
  app.use(requestLogger(logger));
  app.use(healthRoutes(config.instanceId, isReady, parts.sessionsInMemory ?? (async () => 0), parts.kitchen));
  app.use(sameOriginOnly);
  if (identity.middleware.length > 0) app.use(identity.middleware);
  // Uploads before the JSON body parser, which refuses any body that is not JSON.
  app.use(avatarRoutes(identity, parts.avatars));
  app.use(jsonBody);
  // Logging out ends the session's chat sockets too, on every server that holds one.
  const sessionEnded = async (sessionId: string) => chat?.service.sessionEnded(sessionId);
  app.use(
    authRoutes(
      identity,
      carts,
      loginLimits(config, (name) => timedInProcess(parts.rateLimitStore(name))),
      sessionEnded,
    ),
  );
  if (chat) app.use(chatRoutes(identity, chat, config.instanceId));
  app.use(cartRoutes(identity, carts, accounts));
  app.use(notFound);
  app.use(errorHandler);
  return app;
}
