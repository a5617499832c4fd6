// A private S3-compatible server for one test run or one comparison: s3rver (the npm package
// @20minutes/s3rver, so `pnpm install` is all it needs) on a free loopback port, keeping its
// objects in a temp directory of its own. It runs in a Node process of its own, so that it can be
// stopped, frozen and restarted by PID like the other stores.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ManagedProcess } from "./managed-process";
import { waitUntil } from "./wait";

// Runs in the child: argv is [node, s3rver's module, directory, port]. Port 0 lets the system pick
// a free one, which the child then names on its first line: no race for a port found free earlier.
// allowMismatchedSignatures: the AWS SDK signs a bucket-level request (list, create) over the path
// "/bucket/", and s3rver checks it over "/bucket", so it would refuse every one of them as
// SignatureDoesNotMatch. With it, a request must still carry a well-formed signature, of any value.
// An upload lands whole or not at all, as on S3: s3rver writes an object in place, so an upload
// cut off half-way (its client gave up on a frozen server) destroyed the object it was replacing.
// Here its bytes go to a file of their own, renamed over the object once they are all there.
const MAIN = `
const [, modulePath, directory, port] = process.argv;
const { createHash } = require("node:crypto");
const { rename, rm, writeFile } = require("node:fs/promises");
const S3rver = require(modulePath);
const server = new S3rver({ address: "127.0.0.1", port: Number(port), directory, silent: true, allowMismatchedSignatures: true });
const putContent = server.store.putContent.bind(server.store);
let uploads = 0;
server.store.putContent = async (objectPath, content) => {
  const staging = objectPath + ".uploading-" + ++uploads;
  try {
    const written = Buffer.isBuffer(content)
      ? await writeFile(staging, content).then(() => [content.length, createHash("md5").update(content).digest("hex")])
      : await putContent(staging, content);
    await rename(staging, objectPath);
    return written;
  } catch (error) {
    await rm(staging, { force: true });
    throw error;
  }
};
server
  .run()
  .then(({ port }) => console.log("s3rver listening on port " + port))
  .catch((error) => { console.error(error.message); process.exit(1); });
`;

const LISTENING = /s3rver listening on port (\d+)/;

export class LocalS3Server {
  /** s3rver checks every request's signature against this one key pair. */
  static readonly credentials = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } as const;
  static readonly region = "us-east-1";

  private constructor(
    readonly port: number,
    readonly dir: string,
    private process: ManagedProcess,
  ) {}

  static async start(): Promise<LocalS3Server> {
    const dir = await mkdtemp(join(tmpdir(), "cart-s3-"));
    try {
      const [process, port] = await LocalS3Server.spawn(dir, 0);
      return new LocalS3Server(port, dir, process);
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
  }

  private static async spawn(dir: string, port: number): Promise<[ManagedProcess, number]> {
    const modulePath = require.resolve("@20minutes/s3rver");
    const child = await ManagedProcess.start("s3rver", process.execPath, ["-e", MAIN, modulePath, dir, String(port)]);
    await waitUntil(
      async () => !child.running || LISTENING.test(child.recentOutput),
      10_000,
      `s3rver did not start:\n${child.recentOutput}`,
    ).catch(async (error: unknown) => {
      await child.kill();
      throw error;
    });
    const listening = LISTENING.exec(child.recentOutput);
    if (!child.running || !listening) throw new Error(`s3rver exited at start:\n${child.recentOutput}`);
    return [child, Number(listening[1])];
  }

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number {
    return this.process.pid;
  }

  /** SIGSTOP: the server keeps its connections open but answers nothing (a hung store). */
  freeze(): void {
    this.process.signal("SIGSTOP");
  }

  resume(): void {
    this.process.signal("SIGCONT");
  }

  /** SIGTERM, then start again on the same port and directory: every object is still there. */
  async restart(): Promise<void> {
    await this.halt();
    await this.startAgain();
  }

  /** Stops the server process (SIGTERM), keeping its port and directory for `startAgain`. */
  async halt(): Promise<void> {
    await this.process.stop();
  }

  /** Starts it again on its port and directory; resolves once it listens. */
  async startAgain(): Promise<void> {
    [this.process] = await LocalS3Server.spawn(this.dir, this.port);
  }

  get running(): boolean {
    return this.process.running;
  }

  async stop(): Promise<void> {
    await this.process.stop(); // resumes a frozen server first, or it would not act on SIGTERM
    await rm(this.dir, { recursive: true, force: true });
  }
}
