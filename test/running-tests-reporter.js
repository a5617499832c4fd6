// Keeps a file for each test file from the moment Jest hands it to a worker until its result is
// in, in a folder of its own named by CART_RUNNING_TESTS: a test that needs the machine to itself
// waits there until it is the only one left (see alone.js).
const { createHash } = require("node:crypto");
const { mkdtempSync, rmSync, writeFileSync } = require("node:fs");
const { tmpdir } = require("node:os");
const { join } = require("node:path");

/** A file per test file, holding its path. */
const markerName = (path) => createHash("sha1").update(path).digest("hex");

class RunningTestsReporter {
  constructor() {
    // Made before Jest starts its workers, which inherit the variable.
    this.folder = mkdtempSync(join(tmpdir(), "cart-running-tests-"));
    process.env.CART_RUNNING_TESTS = this.folder;
  }

  onTestFileStart(test) {
    writeFileSync(join(this.folder, markerName(test.path)), test.path);
  }

  onTestFileResult(test) {
    rmSync(join(this.folder, markerName(test.path)), { force: true });
  }

  onRunComplete() {
    rmSync(this.folder, { recursive: true, force: true });
  }
}

module.exports = RunningTestsReporter;
