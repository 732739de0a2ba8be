/**
 * Every use the engine makes of node-opcua's internals: members that are not part of its
 * documented API, or that the engine replaces on an instance or a class. They live in this folder
 * alone (the linter refuses them elsewhere, see eslint.config.mjs), so that an upgrade of
 * node-opcua is checked in one place: test/unit/serverInternals.test.ts,
 * clientInternals.test.ts and channelInternals.test.ts exercise each against real node-opcua
 * servers and clients, and fail when one changes.
 */
export { replaceChannelRefusals } from "./channelInternals";
export { deleteMonitoredItems, destroyClientSocket, pinServerCertificate } from "./clientInternals";
export { beforeCreateMonitoredItems, listeningSockets } from "./endpointInternals";
export { aroundHistoryRead, beforeRead, beforeTranslateBrowsePath } from "./engineInternals";
export { enqueueEvent, onModify } from "./monitoredItemInternals";
export { createOnLookup } from "./namespaceInternals";
export { PushedValues, requestedSampling } from "./pushedValues";
export { adoptValue, cachedValue, forwardHistoryReads, forwardWrites } from "./variableInternals";
