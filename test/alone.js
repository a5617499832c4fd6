// Some tests need the machine to themselves. The container stack's test runs a cluster of
// containers and a whole `pnpm compare` inside it: on a 2-core machine the tests beside it lose the
// timings they assert (a 2 ms delay within 0.15 ms, a 503 within the stores' deadline and half a
// second). Such a test runs last (alone-last-sequencer.js) and waits until every other test file
// has finished (`untilAlone`, in support/alone.ts), which it sees in the folder named by
// CART_RUNNING_TESTS, where running-tests-reporter.js keeps a file for each test file that runs.
const ALONE = [/[\\/]test[\\/]container-stack\.test\.ts$/];

/** Whether the test file at this path needs the machine to itself. */
const needsMachineToItself = (path) => ALONE.some((pattern) => pattern.test(path));

module.exports = { needsMachineToItself };
