// A Map, Set, array or object that outlives the request (lasting-collections.ts) and is written
// while serving one: user data in one server's memory. (One that a timer drains is a queue,
// queues-in-memory's; one that holds connections' sockets is a registry, sockets-in-registry's.)
import { bare, lastingCollections } from "../lasting-collections";
import { stateRule } from "../state-rule";

export const collectionsInMemory = stateRule(
  "collections",
  "a Map, Set, array or object that outlives the request, written while serving one: user data in one server's memory",
  (report, context) =>
    lastingCollections(context, (collections) => {
      for (const { name, node, made, writtenAt, drainedAt, socketsAt, madeOnceOnly, field } of bare(collections))
        if (drainedAt === undefined && socketsAt === undefined)
          report(
            node,
            madeOnceOnly || field
              ? `\`${name}\` (${made}) lasts as long as the app, which writes it as it serves (line ${writtenAt})`
              : `\`${name}\` (${made}) outlives the request and is written while serving one (line ${writtenAt})`,
            { madeOnceOnly },
          );
    }),
);
