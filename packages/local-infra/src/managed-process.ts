// A child process we started and must stop: by PID, waiting for it to be gone, never leaving
// an orphan behind. Its output is kept (the last lines) so failures can show why.
import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";

const KEPT_OUTPUT_CHARS = 4000;

export class ManagedProcess {
  /** Every process started and not yet exited, so that an interrupted run can stop them all. */
  private static readonly live = new Set<ManagedProcess>();
  private output = "";
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    private readonly stopSignal: NodeJS.Signals,
  ) {
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-KEPT_OUTPUT_CHARS);
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    ManagedProcess.live.add(this);
    this.exited = new Promise((resolve) =>
      child.once("exit", (code, signal) => {
        ManagedProcess.live.delete(this);
        resolve({ code, signal });
      }),
    );
  }

  /** Set by stopAll: a run that is shutting down starts nothing more. */
  private static closing = false;

  /**
   * For a run that is ending (Ctrl-C, a set-up error): stops every process still running, waiting
   * for each to exit, and refuses to start any more (a restart in progress must not leave one behind).
   */
  static async stopAll(): Promise<void> {
    ManagedProcess.closing = true;
    await Promise.all([...ManagedProcess.live].map((process) => process.stop()));
  }

  /** Last resort for `process.on("exit")`, where nothing can be awaited: SIGKILL what is left. */
  static killAllNow(): void {
    for (const process of ManagedProcess.live) process.signal("SIGKILL");
  }

  /**
   * Starts `command`; rejects if it cannot be started at all (e.g. not on PATH: `code` ENOENT).
   * `stopSignal` is how it is asked to stop (PostgreSQL's fast shutdown is SIGINT; SIGTERM would
   * wait for every client to disconnect).
   */
  static start(
    name: string,
    command: string,
    args: string[],
    { stopSignal = "SIGTERM", ...options }: SpawnOptions & { readonly stopSignal?: NodeJS.Signals } = {},
  ): Promise<ManagedProcess> {
    return new Promise((resolve, reject) => {
      const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], ...options });
      child.once("error", reject);
      child.once("spawn", () => {
        if (!ManagedProcess.closing) return resolve(new ManagedProcess(name, child, stopSignal));
        child.kill("SIGKILL");
        reject(new Error(`not starting ${name}: the run is stopping`));
      });
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  get recentOutput(): string {
    return this.output;
  }

  signal(signal: NodeJS.Signals): void {
    if (this.running) this.child.kill(signal);
  }

  /** Resumes a process stopped with SIGSTOP (else it would not act on SIGTERM). */
  private resume(): void {
    if (this.running) this.child.kill("SIGCONT");
  }

  /**
   * Its stop signal (SIGTERM unless it was started with another), then SIGKILL if it is still
   * there after `graceMs`; resolves once it has exited.
   */
  async stop(graceMs = 3000): Promise<void> {
    if (!this.running) return;
    this.resume();
    this.child.kill(this.stopSignal);
    const timer = setTimeout(() => this.child.kill("SIGKILL"), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** kill -9: no goodbye, no cleanup — what a crash looks like from outside. */
  async kill(): Promise<void> {
    if (!this.running) return;
    this.child.kill("SIGKILL");
    await this.exited;
  }
}
