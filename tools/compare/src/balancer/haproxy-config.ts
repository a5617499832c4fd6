// The one source of HAProxy configuration: `pnpm compare --lb haproxy` renders it for local
// instances, and `pnpm infra:render` renders it for the Docker Compose stack (infra/haproxy/).
// The policies mirror the built-in balancer's:
//  - sticky: `cookie SERVERID insert indirect nocache` pins a client to the server of its first
//    response, and hides the cookie from the app; `option redispatch` re-pins when that server is gone.
//  - round-robin: every request goes to the next server that is up.
// Health checks (GET /healthz every 250 ms, down after 2 failures) take dead servers out of rotation;
// a refused connection is retried on another server.
import type { RoutingPolicy } from "../vocabulary";

/** `off` (set at run time) makes a sticky backend ignore the SERVERID cookie: round-robin. */
export const STICKINESS_VARIABLE = "stickiness";

export interface HaproxyServer {
  /** The server's name, also its SERVERID cookie value: `stateful-2`. */
  readonly id: string;
  /** host:port */
  readonly address: string;
  /** A slot for a server that joins later (scale-out): no traffic until enabled at run time. */
  readonly disabled?: boolean;
}

export interface HaproxyConfigOptions {
  /** The frontend's and backend's name: `stateful`. */
  readonly name: string;
  readonly policy: RoutingPolicy;
  /** Where clients connect: `127.0.0.1:41234`, or `:8080` in a container. */
  readonly bind: string;
  /** Where the stats page is served. */
  readonly statsBind: string;
  readonly servers: readonly HaproxyServer[];
  /** The runtime API's unix socket, for changes while running (drain, scale-out). */
  readonly adminSocket?: string;
  /**
   * Resolve server names at run time through the container network's DNS rather than once at
   * start: HAProxy starts while a container is down, and finds it again when it comes back with a
   * new address. The resolver is the one the container's /etc/resolv.conf names: Docker's
   * (127.0.0.11) or podman's (its network's gateway) alike.
   */
  readonly dockerDns?: boolean;
}

export function renderHaproxyConfig(options: HaproxyConfigOptions): string {
  const { name, policy, servers } = options;
  const error = (status: number, code: string, message: string) =>
    `  http-error status ${status} content-type application/json hdr x-served-by balancer string ` +
    `'${JSON.stringify({ error: { code, message } })}'`;
  const serverOptions = options.dockerDns ? ["resolvers docker", "init-addr none"] : [];
  const serverLine = ({ id, address, disabled }: HaproxyServer) =>
    [
      `  server ${id} ${address}`,
      ...(policy === "sticky" ? [`cookie ${id}`] : []),
      ...serverOptions,
      ...(disabled ? ["disabled"] : []),
    ].join(" ");

  return [
    `# ${name}: ${policy === "sticky" ? "sticky sessions (SERVERID cookie)" : "round-robin, no stickiness"}`,
    ...(options.adminSocket ? ["global", `  stats socket ${options.adminSocket} mode 600 level admin`, ""] : []),
    ...(options.dockerDns ? ["resolvers docker", "  parse-resolv-conf", "  hold valid 1s", ""] : []),
    "defaults",
    "  mode http",
    "  # The apps see the client's address (their per-client login limits).",
    "  option forwardfor",
    "  timeout connect 500ms",
    "  timeout client 30s",
    "  timeout server 10s",
    "  timeout http-request 10s",
    "  timeout queue 5s",
    "  # A WebSocket (the chat) is a tunnel once upgraded: idle for up to an hour.",
    "  timeout tunnel 1h",
    "  # A refused connection never reached the app: try once more, on another server.",
    "  retries 1",
    "  option redispatch 1",
    "  default-server check inter 250ms fall 2 rise 1",
    "  # A check may take 2 s, as the built-in balancer's does (without this, 250 ms: the interval):",
    "  # a server busy for a moment is not down, and a dead one refuses the check at once.",
    "  timeout check 2s",
    "  # The balancer's own errors speak the apps' JSON error format.",
    error(502, "BAD_GATEWAY", "The server failed mid-request"),
    error(503, "NO_BACKEND", "No live server behind the balancer"),
    error(504, "GATEWAY_TIMEOUT", "The server took too long to answer"),
    "",
    `frontend ${name}`,
    `  bind ${options.bind}`,
    "  # Only WebSockets (the chat) are carried: any other upgrade (h2c above all, a known way to",
    "  # smuggle requests past a proxy) reaches the server as the plain request it also is.",
    "  http-request del-header upgrade unless { req.fhdr(upgrade) -i websocket }",
    "  http-request del-header http2-settings",
    `  default_backend ${name}`,
    "",
    `backend ${name}`,
    "  balance roundrobin",
    "  option httpchk GET /healthz",
    ...(policy === "sticky" ? ["  cookie SERVERID insert indirect nocache httponly attr SameSite=Lax"] : []),
    ...(policy === "sticky" && options.adminSocket
      ? [
          "  # Stickiness can be turned off while running (runtime API: set var proc.stickiness str(off)).",
          `  ignore-persist if { var(proc.${STICKINESS_VARIABLE}) -m str off }`,
        ]
      : []),
    ...servers.map(serverLine),
    "",
    "listen stats",
    `  bind ${options.statsBind}`,
    "  stats enable",
    "  stats uri /",
    "  stats refresh 2s",
    "",
  ].join("\n");
}
