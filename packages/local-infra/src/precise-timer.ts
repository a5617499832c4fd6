// Calls back after a fraction of a millisecond, which Node's own timers cannot do (they count
// whole milliseconds: setTimeout(fn, 0.3) waits 1 ms or more), and without a busy loop, which
// would steal a core from the processes a delay is measured on. A thread of its own sleeps in
// Atomics.wait, which takes a fractional timeout and blocks only that thread, until the earliest
// deadline; then it wakes this thread with one message naming every callback now due. Waking a
// thread costs a tenth of a millisecond or more, so the sleeper wakes that much early: how much is
// learnt from how late callbacks ran, leaving out the wake-ups this thread was too busy to take at
// once (a stall is not a wake-up's cost). A callback woken more than a tenth of a millisecond early
// waits again.
import { Worker } from "node:worker_threads";

/** How early the sleeping thread wakes this one at first: about what a wake-up takes on our machine. */
const WAKE_EARLY_MS = 0.1;
/** How much of each callback's lateness (or earliness) moves the next wake-up, and at most by how much. */
const LEARNING_RATE = 0.1;
const LEARNING_STEP_MS = 0.2;
/** A message that took longer than this to reach this thread found it busy: not a measure of a wake-up. */
const STALLED_MS = 1;
/** A callback is called when woken at most this early; earlier, it waits again. */
const EARLY_ENOUGH_MS = 0.1;
/** Deadlines not yet handed over at once, at most (the ring's size). */
const CAPACITY = 4096;

/**
 * The sleeping thread's code, run from its source (so that it needs no file of its own beside the
 * compiled one): reads new deadlines from the ring, sleeps until the earliest is near, posts the
 * ids of those due.
 */
function sleeper(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parentPort, workerData } = require("node:worker_threads") as typeof import("node:worker_threads");
  const { written, ids, deadlines, capacity, wakeEarly } = workerData as {
    written: Int32Array;
    ids: Int32Array;
    deadlines: Float64Array;
    capacity: number;
    wakeEarly: Float64Array;
  };
  const pending: { id: number; at: number }[] = [];
  let read = 0;
  for (;;) {
    const seen = Atomics.load(written, 0);
    if (Atomics.load(written, 1) === 1) return;
    for (; read !== seen; read = (read + 1) | 0) {
      const slot = ((read % capacity) + capacity) % capacity;
      pending.push({ id: ids[slot]!, at: deadlines[slot]! });
    }
    pending.sort((a, b) => a.at - b.at);
    const now = performance.timeOrigin + performance.now();
    const wakeEarlyMs = wakeEarly[0]!;
    let due = 0;
    while (due < pending.length && pending[due]!.at - wakeEarlyMs <= now) due++;
    if (due > 0) {
      const ids = pending.splice(0, due).map(({ id }) => id);
      parentPort!.postMessage({ ids, postedAt: performance.timeOrigin + performance.now() });
    }
    const timeout = pending.length > 0 ? Math.max(0, pending[0]!.at - wakeEarlyMs - now) : Infinity;
    if (timeout > 0) Atomics.wait(written, 0, seen, timeout);
  }
}

export class PreciseTimer {
  private readonly worker: Worker;
  /** How many deadlines were handed over, and whether the timer is closed (1). */
  private readonly written = new Int32Array(new SharedArrayBuffer(8));
  private readonly ids = new Int32Array(new SharedArrayBuffer(4 * CAPACITY));
  private readonly deadlines = new Float64Array(new SharedArrayBuffer(8 * CAPACITY));
  /** In milliseconds; written here, read by the sleeper. */
  private readonly wakeEarly = new Float64Array(new SharedArrayBuffer(8)).fill(WAKE_EARLY_MS);
  private readonly callbacks = new Map<number, { readonly at: number; readonly callback: () => void }>();
  private nextId = 0;
  private count = 0;
  private failed = false;

  constructor() {
    const { written, ids, deadlines, wakeEarly } = this;
    this.worker = new Worker(`(${sleeper.toString()})()`, {
      eval: true,
      workerData: { written, ids, deadlines, capacity: CAPACITY, wakeEarly },
    });
    this.worker.on("message", ({ ids: due, postedAt }: { ids: number[]; postedAt: number }) => {
      const now = performance.timeOrigin + performance.now();
      const first = this.callbacks.get(due[0]!);
      if (first && now - postedAt < STALLED_MS) {
        const step = Math.min(LEARNING_STEP_MS, Math.max(-LEARNING_STEP_MS, LEARNING_RATE * (now - first.at)));
        wakeEarly[0] = Math.min(1, Math.max(0, wakeEarly[0]! + step));
      }
      for (const id of due) {
        const entry = this.callbacks.get(id);
        this.callbacks.delete(id);
        if (!entry) continue;
        if (entry.at - now > EARLY_ENOUGH_MS) this.after(entry.at - now, entry.callback);
        else entry.callback();
      }
      if (this.callbacks.size === 0) this.worker.unref();
    });
    // Should the sleeping thread ever fail, what waits is called by Node's own timers instead.
    this.worker.on("error", (error) => {
      console.error(`precise-timer: ${error.message}; falling back to Node's timers`);
      this.failed = true;
      for (const { at, callback } of this.callbacks.values())
        setTimeout(callback, at - (performance.timeOrigin + performance.now()));
      this.callbacks.clear();
    });
    this.worker.unref();
  }

  /** Calls `callback` `ms` milliseconds from now (any fraction), or at once for none. */
  after(ms: number, callback: () => void): void {
    if (ms <= 0) return void queueMicrotask(callback);
    // More waiting than the ring holds (or no sleeping thread): Node's timers, to the millisecond.
    if (this.failed || this.callbacks.size >= CAPACITY) return void setTimeout(callback, ms);
    const id = this.nextId++ | 0;
    const at = performance.timeOrigin + performance.now() + ms;
    this.callbacks.set(id, { at, callback });
    const slot = ((this.count % CAPACITY) + CAPACITY) % CAPACITY;
    this.ids[slot] = id;
    this.deadlines[slot] = at;
    this.count = (this.count + 1) | 0;
    // Handed over by the counter: the slot is written before the sleeper may read it.
    Atomics.store(this.written, 0, this.count);
    Atomics.notify(this.written, 0);
    this.worker.ref();
  }

  /** Ends the sleeping thread; callbacks not yet called are not. */
  async close(): Promise<void> {
    this.callbacks.clear();
    Atomics.store(this.written, 1, 1);
    Atomics.add(this.written, 0, 1);
    Atomics.notify(this.written, 0);
    await this.worker.terminate();
  }
}
