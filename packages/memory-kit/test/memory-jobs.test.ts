// The stateful kitchen's queue: jobs taken in order by a bounded number of workers, a failed job
// dropped without stopping its worker, and a stop that waits for the work under way.
import { setTimeout as sleep } from "node:timers/promises";
import { MemoryJobQueue, startMemoryWorkers } from "../src";

describe("a job queue in memory, with its workers", () => {
  it("gives jobs to the workers first in first out, no more at once than there are workers", async () => {
    const queue = new MemoryJobQueue<number>();
    for (const job of [1, 2, 3, 4, 5]) queue.send(job);
    const started: number[] = [];
    let atOnce = 0;
    let most = 0;
    const workers = startMemoryWorkers(
      queue,
      async (job) => {
        started.push(job);
        most = Math.max(most, ++atOnce);
        await sleep(20);
        atOnce--;
      },
      { workers: 2, label: "test" },
    );
    while (started.length < 5 || workers.held() > 0) await sleep(5);
    expect(started).toEqual([1, 2, 3, 4, 5]);
    expect(most).toBe(2);
    expect(queue.length).toBe(0);
    await workers.stop(100);
  });

  it("goes on after a job that fails, logging it", async () => {
    const errors = jest.spyOn(console, "error").mockImplementation(() => undefined);
    const queue = new MemoryJobQueue<string>();
    const done: string[] = [];
    const workers = startMemoryWorkers(
      queue,
      async (job) => {
        if (job === "bad") throw new Error("burnt");
        done.push(job);
      },
      { workers: 1, label: "kitchen" },
    );
    queue.send("bad");
    queue.send("good");
    while (done.length < 1) await sleep(5);
    expect(errors).toHaveBeenCalledWith(expect.stringMatching(/^kitchen: a job failed and is dropped \(burnt\)/));
    errors.mockRestore();
    await workers.stop(100);
  });

  it("stops taking jobs at stop, waits for the one under way, and leaves the waiting ones waiting", async () => {
    const queue = new MemoryJobQueue<number>();
    let finished = 0;
    const workers = startMemoryWorkers(
      queue,
      async () => {
        await sleep(50);
        finished++;
      },
      { workers: 1, label: "test" },
    );
    queue.send(1);
    queue.send(2);
    await sleep(10);
    expect(workers.held()).toBe(1);
    await workers.stop(1000);
    expect(finished).toBe(1);
    expect(queue.length).toBe(1);
  });

  it("gives up waiting at the stop's deadline", async () => {
    const queue = new MemoryJobQueue<number>();
    const workers = startMemoryWorkers(queue, () => sleep(1500), { workers: 1, label: "test" });
    queue.send(1);
    await sleep(10);
    const started = Date.now();
    await workers.stop(100);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
