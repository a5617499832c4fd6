// What the dashboard's address answers while the clusters are still starting (a few seconds):
// 503 with Retry-After, so that nothing that connects early (a browser tab, a health check, a
// teacher's launcher) is left hanging. The page reloads itself; the API and the event stream
// answer JSON.
import type { IncomingMessage, ServerResponse } from "node:http";

const PAGE = `<!doctype html>
<html lang="en">
<meta charset="utf-8">
<meta http-equiv="refresh" content="1">
<title>Starting…</title>
<body style="font: 1.5rem system-ui, sans-serif; margin: 3rem">
<p>Starting both clusters and their Redis… this page reloads by itself.</p>
</body>
</html>
`;

export function answerWhileStarting(req: IncomingMessage, res: ServerResponse): void {
  const headers = { "retry-after": "1", "cache-control": "no-store" };
  if (req.url?.startsWith("/api/")) {
    const error = { code: "STARTING", message: "The clusters are starting: try again in a second" };
    res.writeHead(503, { ...headers, "content-type": "application/json; charset=utf-8" });
    res.end(JSON.stringify({ error }));
    return;
  }
  res.writeHead(503, { ...headers, "content-type": "text/html; charset=utf-8" }).end(PAGE);
}
