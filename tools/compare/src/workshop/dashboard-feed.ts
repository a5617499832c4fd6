// What the dashboard's event stream carries: the whole state whenever it changes (at most once per
// tick of the event loop, and only if it really changed), and the request log one entry at a time,
// with the last entries kept for a page that connects later.
import type { Architecture } from "../vocabulary";
import type { DashboardState, LogEntry, LogTone, RequestTrace } from "./dashboard-state";

const LOG_BACKLOG = 300;

export class DashboardFeed {
  private readonly stateListeners = new Set<(state: DashboardState) => void>();
  private readonly logListeners = new Set<(entry: LogEntry) => void>();
  private readonly backlog: LogEntry[] = [];
  private lastLogId = 0;
  private lastSent = "";
  private sendScheduled = false;

  constructor(private readonly state: () => DashboardState) {}

  /** Calls `onState` with every new state (now, then on each change), `onLog` with every entry (the backlog first). */
  subscribe(onState: (state: DashboardState) => void, onLog: (entry: LogEntry) => void): () => void {
    onState(this.state());
    for (const entry of this.backlog) onLog({ ...entry, backlog: true });
    this.stateListeners.add(onState);
    this.logListeners.add(onLog);
    return () => {
      this.stateListeners.delete(onState);
      this.logListeners.delete(onLog);
    };
  }

  log(side: Architecture | "both", text: string, tone: LogTone, request?: RequestTrace): void {
    const at = new Date().toTimeString().slice(0, 8);
    const entry: LogEntry = { id: ++this.lastLogId, side, at, text, tone, ...(request && { request }) };
    this.backlog.push(entry);
    if (this.backlog.length > LOG_BACKLOG) this.backlog.shift();
    for (const listener of this.logListeners) listener(entry);
    this.changed();
  }

  /** Sends the state to the listeners if it changed, at most once per tick of the event loop. */
  changed(): void {
    if (this.sendScheduled) return;
    this.sendScheduled = true;
    setImmediate(() => {
      this.sendScheduled = false;
      const state = this.state();
      const json = JSON.stringify(state);
      if (json === this.lastSent) return;
      this.lastSent = json;
      for (const listener of this.stateListeners) listener(state);
    });
  }
}
