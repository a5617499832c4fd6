import { avatarOnEveryServer, avatarView, describeView, fingerprint, freshAvatar } from "./avatars";
import { missing } from "./avatar-upload";
import type { Journey } from "./journey";
import { JourneyFailure } from "./steps";

export const avatarAfterReplace: Journey = {
  name: "avatar-after-replace",
  story:
    "Alice uploads an avatar; the server that saved it is replaced by a new machine with a new, empty disk, " +
    "as cattle are; then she and visitors look at her avatar",
  expected: { stateful: "fail", stateless: "pass" },
  needsLocalClusters: true,
  async run(context) {
    const alice = context.shopper("Alice", "alice");
    await alice.login();
    const picture = freshAvatar();
    const savedOn = (await alice.expect(200, "PUT", "/me/avatar", picture)).instance;
    context.note("savedOn", savedOn);
    context.note("uploaded", fingerprint(picture));
    await context.replace(savedOn);

    // Alice first (a sticky balancer sends her to the new machine with the old name), then everyone.
    const hers = avatarView(await alice.send("GET", "/users/alice/avatar"));
    const views = [hers, ...(await avatarOnEveryServer(context, "alice"))];
    context.note("served", Object.fromEntries(views.map((view) => [view.server, describeView(view)])));
    const uploaded = fingerprint(picture);
    // The replaced server's answer first: it is the story's.
    const replaced = views.find((view) => view.server === savedOn && view.fingerprint !== uploaded);
    if (replaced) {
      throw new JourneyFailure(
        `GET /users/alice/avatar on ${savedOn} → ${describeView(replaced)}: ${savedOn} is a new machine now, and ` +
          "the disk Alice's avatar was saved on went with the old one",
      );
    }
    const wrong = views.find((view) => view.fingerprint !== uploaded);
    if (wrong) throw new JourneyFailure(missing(wrong, savedOn, true));
  },
};
