// Work queued in memory: a collection that outlives the request (lasting-collections.ts), filled
// while serving one and drained by a timer's work (setInterval, setTimeout): jobs that die with
// the process, and that no other server can take.
import { bare, lastingCollections } from "../lasting-collections";
import { stateRule } from "../state-rule";

export const queuesInMemory = stateRule(
  "queues",
  "a collection filled while serving requests and drained by a timer: a job queue in one server's memory",
  (report, context) =>
    lastingCollections(context, (collections) => {
      // A registry pruned by a heartbeat is a registry: sockets-in-registry's.
      for (const { name, node, made, writtenAt, drainedAt, socketsAt, madeOnceOnly, field } of bare(collections))
        if (drainedAt !== undefined && socketsAt === undefined)
          report(
            node,
            madeOnceOnly || field
              ? `\`${name}\` (${made}) lasts as long as the app, is filled (line ${writtenAt}) and its items taken ` +
                  `in turn (line ${drainedAt})`
              : `\`${name}\` (${made}) is filled while serving requests (line ${writtenAt}) and drained by a timer ` +
                  `(line ${drainedAt})`,
            { madeOnceOnly },
          );
    }),
);
