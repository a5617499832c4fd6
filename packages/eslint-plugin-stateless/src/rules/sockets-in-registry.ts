// Connections as a registry: a collection that outlives the request (lasting-collections.ts) and
// holds the sockets of connections (the parameter of an `.on("connection", …)` handler, or of
// socket.io's `connect`; kept bare or inside what is stored), through
// which the server reaches other users. A socket stays on the server that holds it: a message for
// a user connected to another server is never delivered, unless the servers pass it on (pub/sub).
import { bare, lastingCollections } from "../lasting-collections";
import { stateRule } from "../state-rule";

export const socketsInRegistry = stateRule(
  "connections",
  "connections' sockets kept in a collection to reach other users: only the users of this server",
  (report, context) =>
    lastingCollections(context, (collections) => {
      for (const { name, node, made, socketsAt, madeOnceOnly } of bare(collections))
        if (socketsAt !== undefined)
          report(node, `\`${name}\` (${made}) keeps connections' sockets (line ${socketsAt})`, { madeOnceOnly });
    }),
);
