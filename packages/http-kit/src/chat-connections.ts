// This server's open chat sockets, by user and by session. In both apps they stay on the server
// that holds them (a TCP connection cannot move to another machine); what differs is whether
// anything else about the chat lives here too.
import type { ServerFrame } from "@cart/domain";
import type { Principal } from "./identity";

/** What the registry needs of a socket. */
export interface ChatSocket {
  send(frame: ServerFrame): void;
  close(code: number, reason: string): void;
}

/** Close codes the contract uses (4000–4999 are the application's). */
export const CLOSE = {
  /** The server is shutting down (a deploy): reconnect, to any server. */
  goingAway: 1001,
  /** Too many refused frames. */
  policy: 1008,
  /** The session ended (logout): do not reconnect with it. */
  sessionEnded: 4001,
} as const;

export class ChatConnections {
  // state-audit: per-server: the sockets this server holds (a connection cannot move to another server)
  private readonly byUser = new Map<string, Map<ChatSocket, Principal>>();
  // state-audit: per-server: who waits, as this server stops, for its own sockets to close
  private readonly whenEmpty = new Set<() => void>();

  /** Registers a socket; returns what unregisters it. */
  add(principal: Principal, socket: ChatSocket): () => void {
    const sockets = this.byUser.get(principal.userId) ?? new Map<ChatSocket, Principal>();
    sockets.set(socket, principal);
    this.byUser.set(principal.userId, sockets);
    return () => {
      sockets.delete(socket);
      if (sockets.size === 0 && this.byUser.get(principal.userId) === sockets) this.byUser.delete(principal.userId);
      if (this.byUser.size === 0) for (const resolve of this.whenEmpty) resolve();
    };
  }

  /**
   * Resolves once no socket is left: each is unregistered after its close, once the frames it
   * sent before have been handled and its user's leaving recorded (so a server stopping finishes
   * them before it lets go of its store).
   */
  empty(): Promise<void> {
    if (this.byUser.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.whenEmpty.delete(done);
        resolve();
      };
      this.whenEmpty.add(done);
    });
  }

  /** Sends to every socket of `user` here; whether there was one. */
  send(user: string, frame: ServerFrame): boolean {
    const sockets = this.byUser.get(user);
    for (const socket of sockets?.keys() ?? []) socket.send(frame);
    return Boolean(sockets?.size);
  }

  /** Closes the sockets of one session (its user logged out). */
  closeSession(sessionId: string): void {
    for (const sockets of this.byUser.values())
      for (const [socket, principal] of sockets)
        if (principal.sessionId === sessionId) socket.close(CLOSE.sessionEnded, "The session has ended");
  }

  closeAll(code: number, reason: string): void {
    for (const sockets of this.byUser.values()) for (const socket of sockets.keys()) socket.close(code, reason);
  }
}
