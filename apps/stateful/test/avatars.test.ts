// The avatar trap, as tests: a picture uploaded to one stateful server is on that server's disk
// only. Another server has never seen it, and a server replaced by a new machine loses it.
import { expectError, PNG } from "@cart/contract-suite";
import request from "supertest";
import { disk, statefulInstance } from "./instances";
const ALICE = { username: "alice", password: "pepperoni" };

async function uploadThrough(app: ReturnType<typeof statefulInstance>) {
  const alice = request.agent(app);
  await alice.post("/auth/login").send(ALICE).expect(200);
  await alice.put("/me/avatar").set("content-type", "image/png").send(PNG).expect(200);
}

describe("stateful avatars", () => {
  it("are served by the server that took the upload, and unknown to another: its 404 says whose disk it looked on", async () => {
    const first = statefulInstance("stateful-1", { AVATAR_DIR: disk("one") });
    const second = statefulInstance("stateful-2", { AVATAR_DIR: disk("two") });
    await uploadThrough(first);
    await request(first).get("/users/alice/avatar").expect(200).expect("content-type", "image/png");
    const elsewhere = await request(second).get("/users/alice/avatar");
    expectError(elsewhere, 404, "NO_AVATAR");
    expect(elsewhere.body.error.message).toMatch(/on the disk of stateful-2.*disk of its own/);
  });

  it("survive a restart of the process on the same disk, and not a new machine with a new disk", async () => {
    await uploadThrough(statefulInstance("stateful-1", { AVATAR_DIR: disk("kept") }));
    const restarted = statefulInstance("stateful-1", { AVATAR_DIR: disk("kept") });
    await request(restarted).get("/users/alice/avatar").expect(200);
    const replaced = statefulInstance("stateful-1", { AVATAR_DIR: disk("new-machine") });
    expectError(await request(replaced).get("/users/alice/avatar"), 404, "NO_AVATAR");
  });

  it("stop the start when AVATAR_DIR cannot be written, naming it", () => {
    expect(() => statefulInstance("stateful-1", { AVATAR_DIR: "/dev/null/avatars" })).toThrow(
      "AVATAR_DIR: cannot write to /dev/null/avatars",
    );
  });
});
