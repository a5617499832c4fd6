// A Jest reporter that ends the run by naming every skipped test, with the reason its describe
// block gives ("[skipped: haproxy is not on PATH; …]"): a green run says what it did not prove.
class SkippedReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.testResults.flatMap((file) =>
      file.testResults.filter((test) => test.status === "pending").map((test) => test.fullName),
    );
    if (skipped.length === 0) return;
    process.stdout.write(`\nSkipped (${skipped.length}):\n${skipped.map((name) => `  - ${name}\n`).join("")}`);
  }
}

module.exports = SkippedReporter;
