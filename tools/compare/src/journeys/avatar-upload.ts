import { avatarOnEveryServer, describeView, fingerprint, freshAvatar, type AvatarView } from "./avatars";
import type { Journey } from "./journey";
import { JourneyFailure } from "./steps";

export const avatarUpload: Journey = {
  name: "avatar-upload",
  story:
    "Alice uploads a new avatar through the balancer; then visitors ask every server for it: do they all " +
    "show the same picture?",
  expected: { stateful: "fail", stateless: "pass" },
  async run(context) {
    const alice = context.shopper("Alice", "alice");
    await alice.login();
    const picture = freshAvatar();
    const savedOn = (await alice.expect(200, "PUT", "/me/avatar", picture)).instance;
    const views = await avatarOnEveryServer(context, "alice");
    context.note("savedOn", savedOn);
    context.note("uploaded", fingerprint(picture));
    context.note("served", Object.fromEntries(views.map((view) => [view.server, describeView(view)])));
    if (views.length < 2)
      throw new JourneyFailure(`only ${views[0]?.server} ever answered: there was no other server to ask`);
    const wrong = views.find((view) => view.fingerprint !== fingerprint(picture));
    if (wrong) throw new JourneyFailure(missing(wrong, savedOn));
  },
};

/** Why a server did not show the picture Alice uploaded through `savedOn` (`replaced` since, maybe). */
export function missing(view: AvatarView, savedOn: string, replaced = false): string {
  const answer = `GET /users/alice/avatar on ${view.server} → ${describeView(view)}`;
  const disk = `${savedOn}'s own disk${replaced ? ", which went with the machine replaced since" : ""}`;
  if (view.status === 200) {
    return `${answer}: an older picture of Alice's, still on ${view.server}'s own disk; the new one went to ${disk}`;
  }
  if (view.code === "NO_AVATAR") {
    return `${answer}: Alice's avatar was saved on ${disk}, and ${view.server} has never seen the file`;
  }
  return `${answer}: the server could not say`;
}
