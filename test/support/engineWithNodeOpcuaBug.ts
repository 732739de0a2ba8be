// Fault injection, for the test that a pair is the unit of failure: the engine exactly as
// `redundancymaster run` runs it (from sources), except that every subscription node-opcua creates
// gets back the listener node-opcua's own createSubscription2 attaches and the engine avoids
// (upstream/createSubscription.ts). On a link cut just as the server's answer arrives, that listener
// throws "expecting a valid session" outside any caller: an uncaught exception inside one pair's
// upstream work, as an unknown bug of the library would raise it.
// Run: node --import tsx test/support/engineWithNodeOpcuaBug.ts run FILE …
import { ClientSubscription } from "node-opcua";
import { runCli } from "../../engine/src/cli/main";

const create = ClientSubscription.create;
ClientSubscription.create = (session, options) => {
  const subscription = create(session, options);
  // What node-opcua's listener does: read the session, whose getter asserts it is still there.
  subscription.on("started", () => subscription.session);
  return subscription;
};
runCli();
