// The floor of `pnpm bench --startup`: Node's own http server answering 200 to anything, on
// PORT and HOST as the apps read them. No server on this machine and this Node is ready sooner.
import { createServer } from "node:http";

createServer((_request, response) => response.end("ok")).listen(Number(process.env.PORT), process.env.HOST);
