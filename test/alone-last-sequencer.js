// Jest's own order (failed first, then the longest), with the tests that need the machine to
// themselves moved to the end: they are handed to a worker last, so no test starts beside them.
const Sequencer = require("@jest/test-sequencer").default;
const { needsMachineToItself } = require("./alone");

class AloneLastSequencer extends Sequencer {
  async sort(tests) {
    const sorted = await super.sort(tests);
    return [
      ...sorted.filter((test) => !needsMachineToItself(test.path)),
      ...sorted.filter((test) => needsMachineToItself(test.path)),
    ];
  }
}

module.exports = AloneLastSequencer;
