// An in-memory cache (lru-cache, node-cache, quick-lru) that outlives the request
// (lasting-collections.ts) and is written while serving one: each server's own copy of user
// data. A warning: fine as a cache of what a shared store keeps, wrong as the only copy.
import { lastingCollections } from "../lasting-collections";
import { stateRule } from "../state-rule";

export const cachesOfUserData = stateRule(
  "caches",
  "an in-memory cache that outlives the request and is written while serving one: each server's own copy",
  (report, context) =>
    lastingCollections(context, (collections) => {
      for (const { name, node, made, writtenAt, cache, madeOnceOnly } of collections)
        if (cache)
          report(
            node,
            `\`${name}\` (${made}) ${madeOnceOnly ? "lasts as long as the app" : "outlives the request"} and is ` +
              `written while serving one (line ${writtenAt}): each server's own copy`,
            { madeOnceOnly },
          );
    }),
);
