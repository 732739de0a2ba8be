import { ClientSubscription, type ClientSession, type ClientSubscriptionOptions } from "node-opcua";

/**
 * Creates a subscription and resolves once the server has created it, without node-opcua's
 * `createSubscription2`. That one's "started" listener asserts that the subscription still has
 * its session (client_session_impl.js, `subscription.session === this`); "started" is emitted in a
 * setImmediate after the server's answer, so a connection lost in between (the answer and the
 * socket's end read in one go, as on a flapping link) closes the session first and the assertion
 * throws outside any caller: the whole process died of one side's cut. Here nothing reads the
 * session from a listener, and the subscription's "error" always has a listener (an "error"
 * emitted with none would throw the same way).
 */
export function createSubscription(session: ClientSession, options: ClientSubscriptionOptions): Promise<ClientSubscription> {
  return new Promise((created, failed) => {
    const subscription = ClientSubscription.create(session, options);
    subscription.on("error", (error: Error) => failed(error));
    subscription.once("started", () => created(subscription));
  });
}
