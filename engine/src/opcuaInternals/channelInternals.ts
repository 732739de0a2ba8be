import { ServerSecureChannelLayer, ServiceFault, type StatusCode } from "node-opcua";

/**
 * node-opcua 2.186's ServerSecureChannelLayer sends every reply through
 * `send_response(msgType, response, message, callback)`; a refused OpenSecureChannelRequest's
 * reply is a ServiceFault sent as "OPN" (or as "ERR" where it cannot secure it), and `write(chunk)`
 * puts bytes on the channel's socket as they are.
 */
interface ChannelInternals {
  send_response(msgType: string, response: unknown, message: unknown, callback?: (err?: Error) => void): void;
  write(chunk: Buffer): void;
}

let refusalReply: ((status: StatusCode) => Buffer) | undefined;

/**
 * Sends `reply(status)` instead of node-opcua's own answer to a refused OpenSecureChannel, in every
 * server of the process (the patch is on the class, installed once); node-opcua then closes the
 * socket as it would have.
 */
export function replaceChannelRefusals(reply: (status: StatusCode) => Buffer): void {
  if (!refusalReply) {
    const prototype = ServerSecureChannelLayer.prototype as unknown as ChannelInternals;
    const sendResponse = prototype.send_response;
    prototype.send_response = function (this: ChannelInternals, msgType, response, message, callback) {
      if (!refusalReply || (msgType !== "OPN" && msgType !== "ERR") || !(response instanceof ServiceFault)) {
        return sendResponse.call(this, msgType, response, message, callback);
      }
      this.write(refusalReply(response.responseHeader.serviceResult));
      callback?.();
    };
  }
  refusalReply = reply;
}
