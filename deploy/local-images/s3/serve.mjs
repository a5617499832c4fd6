// s3rver on SeaweedFS's S3 port (8333), its objects in /data, with the key pairs of the SeaweedFS
// configuration the Compose file passes (-s3.config=…): the stateless instances sign with those.
// The Compose file's other arguments are SeaweedFS's and are not read. Its health check asks for
// /healthz, which to an S3 server is a bucket: one by that name is made, and s3rver lets a request
// with no signature at all read it (SeaweedFS with a configuration would refuse one: a wrong key
// pair in the Compose file shows here only in the instances' signed requests).
import S3rver from "@20minutes/s3rver";
import AWSAccount from "@20minutes/s3rver/lib/models/account.js";
import { readFileSync } from "node:fs";

const configPath = process.argv.find((arg) => arg.startsWith("-s3.config="))?.slice("-s3.config=".length);
if (configPath) {
  const { identities } = JSON.parse(readFileSync(configPath, "utf8"));
  for (const { credentials = [] } of identities)
    for (const { accessKey, secretKey } of credentials) AWSAccount.DUMMY_ACCOUNT.createKeyPair(accessKey, secretKey);
}

// allowMismatchedSignatures: the AWS SDK signs a bucket-level request over "/bucket/" and s3rver
// checks it over "/bucket" (packages/local-infra/src/s3-server.ts, where the suite runs it alike):
// a request must still carry a signature by a known key, of any value.
// vhostBuckets off: s3rver would take the host name the instances reach it by ("s3") for a bucket.
await new S3rver({
  allowMismatchedSignatures: true,
  vhostBuckets: false,
  address: "0.0.0.0",
  port: 8333,
  directory: "/data",
  silent: true,
  configureBuckets: [{ name: "healthz" }],
}).run();
console.log("s3rver listening on :8333");
