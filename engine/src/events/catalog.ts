/**
 * The runtime events: the twenty of the first seed's "Runtime Diagnostics" chapter (ten kinds,
 * each for the primary and the secondary side) and the engine's own. Ids are a contract
 * (DESIGN.md): users select them for e-mail, tests and the extension match on them.
 */
export type Side = "primary" | "secondary";
export type Severity = "error" | "warning" | "information";

export interface EventKind {
  /** Id stem; side events are posted as `<kind>.<side>`. */
  kind: string;
  severity: Severity;
  /** True for the seed's per-side events. */
  perSide: boolean;
  /** Message template: `{name}` placeholders are filled from the event's fields; a `[…]` segment is dropped when a placeholder in it has no value. */
  text: string;
  doc: string;
}

export const EVENT_KINDS = [
  {
    kind: "monitorItemAddFailed",
    severity: "error",
    perSide: true,
    text: "Attempt to add monitor item '{item}' for '{server}' on {side} machine '{machine}' failed. This monitor item will be considered in error.",
    doc: "A configured monitor item could not be added on this side; it counts as in error.",
  },
  {
    kind: "connected",
    severity: "information",
    perSide: true,
    text: "Connected to '{server}' on {side} machine '{machine}'.",
    doc: "A session to the server on this side was established.",
  },
  {
    kind: "disconnected",
    severity: "information",
    perSide: true,
    text: "Disconnected from '{server}' on {side} machine '{machine}'.",
    doc: "The engine dropped its session to the server on this side.",
  },
  {
    kind: "connectFailed",
    severity: "error",
    perSide: true,
    text: "Failed to connect to '{server}' on {side} machine '{machine}'[ (Error = {detail})].",
    doc: "An attempt to connect to this side failed; posted for the first failed attempt, not for the retries that follow it (nor for those after a connectionLost).",
  },
  {
    kind: "connectionLost",
    severity: "error",
    perSide: true,
    text: "Lost the connection to '{server}' on {side} machine '{machine}'[ ({detail})]. Server communications has been lost.",
    doc: "A connected session ended without notice (the server crashed, closed the socket or its network went away); the engine fails over and reconnects. A first connection that fails is connectFailed.",
  },
  {
    kind: "monitorItemArrayData",
    severity: "error",
    perSide: true,
    text: "Monitor item '{item}' for '{server}' on {side} machine '{machine}' contains array data which is not supported for the 'specific value' trigger condition.",
    doc: "A specificValue item received an array while its trigger data is a scalar (give a JSON array as trigger data to compare arrays).",
  },
  {
    kind: "monitorTestFailed",
    severity: "error",
    perSide: true,
    text: "Monitor item test in error for '{server}' on {side} machine '{machine}'.",
    doc: "The number of monitor items in error reached the failure count; the engine fails over from this side.",
  },
  {
    kind: "monitorTestPassed",
    severity: "information",
    perSide: true,
    text: "Monitor item test passed for '{server}' on {side} machine '{machine}'.",
    doc: "The monitor item test passes on this side (first test, or back from error).",
  },
  {
    kind: "promoted",
    severity: "information",
    perSide: true,
    text: "Promoted active connection for server '{server}' to {side} machine '{machine}'.",
    doc: "This side became the active one (at start, or because the other failed or the primary came back); an operator's switch is failoverForced.",
  },
  {
    kind: "failoverForced",
    severity: "information",
    perSide: true,
    text: "Forced failover: promoted active connection for server '{server}' to {side} machine '{machine}', as an operator asked.",
    doc: "This side became the active one because an operator forced the failover (failoverRequested says who), not because of a failure.",
  },
  {
    kind: "shutdownReceived",
    severity: "information",
    perSide: true,
    text: "Received shutdown notification from server '{server}' on {side} machine '{machine}'.",
    doc: "The server on this side announced its shutdown (ServerStatus.State left Running); the engine fails over.",
  },
  {
    kind: "statusLost",
    severity: "error",
    perSide: true,
    text: "Unable to retrieve status for server '{server}' on {side} machine '{machine}'. Server communications has been lost[ ({detail})].",
    doc: "A status query, or the forwarding subscription's watchdog (no data and no keep-alive within its keep-alive window plus the status timeout), failed after the session was established; the engine fails over.",
  },
  {
    kind: "serverCertificatePinned",
    severity: "information",
    perSide: true,
    text: "Trusted the certificate of '{server}' on {side} machine '{machine}' at its first use and pinned {url} to it: thumbprint {thumbprint}, subject '{subject}', valid {validFrom} to {validTo}. A different certificate there will be refused until it is trusted.",
    doc: "trustPolicy firstUse: the first certificate a side's URL presented was added to the trust list; compare the thumbprint with the server's own.",
  },
  {
    kind: "serverCertificateUntrusted",
    severity: "error",
    perSide: true,
    text: "Refused to open a session to '{server}' on {side} machine '{machine}': its certificate is not trusted (thumbprint {thumbprint}, subject '{subject}', valid {validFrom} to {validTo}); no credential was sent. If it is the server's own, trust it with 'Trust Server Certificate…' on the {side} in Server Pairs or with '{command}'.",
    doc: "The server's certificate is not in the trust list (trustPolicy explicit, or the pinned one was taken out of it); it is filed in rejected/ and the side stays Disconnected.",
  },
  {
    kind: "serverCertificateChanged",
    severity: "error",
    perSide: true,
    text: "Refused to open a session to '{server}' on {side} machine '{machine}': its certificate changed (thumbprint {thumbprint}, subject '{subject}', valid {validFrom} to {validTo}; pinned was {pinned}); no credential was sent. If the server was given a new certificate, trust it with 'Trust Server Certificate…' on the {side} in Server Pairs or with '{command}'.",
    doc: "trustPolicy firstUse: the side's URL presented a certificate other than the one pinned at first use (a replaced certificate, or someone else answering at that address).",
  },
  {
    kind: "serverCertificateTrusted",
    severity: "information",
    perSide: true,
    text: "The certificate of '{server}' on {side} machine '{machine}' (thumbprint {thumbprint}) was trusted by {by}.",
    doc: "A refused server certificate was trusted by a person (the extension's Trust Server Certificate… or `redundancymaster trust`), and the side connected with it.",
  },
  {
    kind: "failbackHeldDown",
    severity: "warning",
    perSide: true,
    text: "Failback of '{server}' to {side} machine '{machine}' is held down for {detail}: it was lost again soon after it came back.",
    doc: "Flap damping: the primary is healthy again but flapped, so the pair stays on the secondary until the primary has been healthy for the hold-down (failbackHoldDownMs, doubling with each further flap). Posted for the primary only.",
  },
  {
    kind: "monitorTriggerAdjusted",
    severity: "warning",
    perSide: true,
    text: "Trigger data of monitor item '{item}' for '{server}' on {side} machine '{machine}' was below two times its update rate and was adjusted to {value} ms.",
    doc: "A noDataChange item's trigger data was raised to 2 × its update rate, as the seed requires.",
  },
  {
    kind: "forwardedItemRefused",
    severity: "error",
    perSide: true,
    text: "Server '{server}' on {side} machine '{machine}' refused to monitor {items} for the endpoint's clients ({status}); while that side is active they see {status} on it.",
    doc: "This side refused forwarded items (a node or namespace it lacks, access denied, too many items): posted once per item and status until it accepts the item again.",
  },
  {
    kind: "pairNotSynced",
    severity: "warning",
    perSide: false,
    text: "Pair '{server}' is not synced: {detail}.",
    doc: "The primary's and the secondary's namespaces differ for configured or served nodes.",
  },
  {
    kind: "namespaceTableWriteFailed",
    severity: "error",
    perSide: false,
    text: "The endpoint namespace table of '{server}' could not be written to '{file}': {detail}. Its indexes hold until the engine stops; it is written again at the next change.",
    doc: "Keeping the endpoint's namespace indexes in the state folder failed (e.g. a full disk): after a restart they could be numbered anew.",
  },
  {
    kind: "endpointNotServing",
    severity: "error",
    perSide: false,
    text: "The endpoint of '{server}' is not serving its clients on port {port}: {detail}. It is tried again until it starts.",
    doc: "The pair's endpoint could not start (its port in use, most often); the pair itself runs, and the start is retried after 1 s, doubling up to 30 s. The pair's snapshot says notServing meanwhile; endpointListening follows when it starts.",
  },
  {
    kind: "endpointPortKept",
    severity: "warning",
    perSide: false,
    text: "Pair '{server}' keeps serving on port {old}: its new port {port} is in use. The changed settings are applied once the port is free.",
    doc: "A reload moved the pair to a port another program holds: the pair runs on with its previous settings and endpoint, and the port is tried every few seconds.",
  },
  {
    kind: "endpointClientRefused",
    severity: "warning",
    perSide: false,
    text: "The endpoint of '{server}' refused {detail}.",
    doc: "A client was refused at the endpoint's maxSessions or maxConnections (attributes of <server>); posted at once, then at most once a minute with the count since.",
  },
  {
    kind: "pairEnabled",
    severity: "information",
    perSide: false,
    text: "Redundancy enabled for '{server}'[ by {by}].",
    doc: "The pair was enabled on this machine, by whom and from where (the extension, or the command line as the owner of the enabled-pairs file).",
  },
  {
    kind: "pairDisabled",
    severity: "information",
    perSide: false,
    text: "Redundancy disabled for '{server}'[ by {by}].",
    doc: "The pair was disabled on this machine, by whom and from where.",
  },
  {
    kind: "pairNotEnabled",
    severity: "warning",
    perSide: false,
    text: "Redundancy for '{server}' is not enabled on this machine, so it is not started (a configuration copied from another machine starts with its pairs disabled). Enable it with {how}.",
    doc: "Posted at start and on reload for each pair without an enabled record in this machine's state folder, with a command that enables it where the event is read.",
  },
  {
    kind: "endpointListening",
    severity: "information",
    perSide: false,
    text: "Pair '{server}' serves its OPC UA clients at {url}.",
    doc: "The pair's client endpoint listens on its port; clients on other machines use the engine host's name or address in the URL.",
  },
  {
    kind: "metricsListening",
    severity: "information",
    perSide: false,
    text: "The engine's metrics are served in Prometheus' text format at {url}.",
    doc: "`<metrics port>` is set and its listener, on 127.0.0.1 only, started (at start, or when a reload set or changed the port).",
  },
  {
    kind: "metricsNotServing",
    severity: "error",
    perSide: false,
    text: "The engine's metrics cannot be served on 127.0.0.1 port {port}: {detail}. The pairs run on; the port is tried again every 5 s.",
    doc: "The `<metrics port>` listener could not start (the port in use, most often); the pairs are not affected, and the port is tried again every 5 s until metricsListening says it opened.",
  },
  {
    kind: "pairStartFailed",
    severity: "error",
    perSide: false,
    text: "Pair '{server}' could not be started: {detail}.",
    doc: "The pair or its client endpoint failed to start (e.g. its port is in use); the other pairs keep running.",
  },
  {
    kind: "failoverRequested",
    severity: "information",
    perSide: false,
    text: "Failover of '{server}' requested by {by}: {detail}.",
    doc: "An operator forced a failover (extension or control channel): who asked, and what came of it.",
  },
  {
    kind: "engineStopping",
    severity: "information",
    perSide: false,
    text: "The engine is stopping, as {by} asked.",
    doc: "An operator stopped the engine: Stop Engine in the extension (with the OS user), or a signal (Ctrl+C, kill, the service manager).",
  },
  {
    kind: "pairFault",
    severity: "error",
    perSide: false,
    text: "Pair '{server}' failed unexpectedly and is restarted in {delay} s; the other pairs carry on (Error = {detail}).",
    doc: "An uncaught error inside the pair's upstream or endpoint work: that pair alone is stopped and started again, after 1 s, doubling while it keeps failing (up to 60 s).",
  },
  {
    kind: "engineFault",
    severity: "error",
    perSide: false,
    text: "Unexpected error outside any pair; the engine carries on (Error = {detail}).",
    doc: "An uncaught error that belongs to no pair: posted and written to the event log at once; no pair is restarted.",
  },
  {
    kind: "configReloaded",
    severity: "information",
    perSide: false,
    text: "Configuration reloaded from '{file}'[ ({by})][: {detail}].",
    doc: "The config file was applied again (after it changed, or on an operator's reload, who is named); only changed pairs were restarted.",
  },
  {
    kind: "configRejected",
    severity: "error",
    perSide: false,
    text: "Configuration '{file}' was not applied[ ({by})]: {detail}.",
    doc: "The changed config file has errors; the running pairs keep their previous settings.",
  },
  {
    kind: "emailFailed",
    severity: "error",
    perSide: false,
    text: "E-mail notification could not be sent through the primary or the secondary SMTP server and was discarded: {detail}.",
    doc: "Both SMTP servers failed for one mail. Never mailed itself.",
  },
  {
    kind: "eventLogWriteFailed",
    severity: "error",
    perSide: false,
    text: "The event log could not be written to '{file}': {detail}.",
    doc: "Persisting the event log failed (e.g. a full disk); events stay in memory.",
  },
  {
    kind: "eventLogUnreadable",
    severity: "warning",
    perSide: false,
    text: "The preserved event log '{file}' was not used: {detail}. A new log was started.",
    doc: "At start the preserved event log was unreadable or corrupt; it is moved aside, not deleted.",
  },
] as const satisfies readonly EventKind[];

type CatalogKind = (typeof EVENT_KINDS)[number];
/** A kind posted for one side (`<kind>.primary` / `<kind>.secondary`): posting one without a side does not compile. */
export type SideEventKind = Extract<CatalogKind, { perSide: true }>["kind"];
/** A kind of the engine's or a pair's own, posted without a side. */
export type PairEventKind = Extract<CatalogKind, { perSide: false }>["kind"];
/** An event to post: a kind of the catalog, with a side exactly when the kind is per side. */
export type EventPost<Fields> = { kind: SideEventKind; side: Side; fields: Fields } | { kind: PairEventKind; side?: undefined; fields: Fields };

const BY_KIND = new Map<string, EventKind>(EVENT_KINDS.map((k) => [k.kind, k]));

/** Every id a user can select in `<notifications><event id="…"/>`. */
export const EVENT_IDS: readonly string[] = EVENT_KINDS.flatMap((k) => (k.perSide ? [`${k.kind}.primary`, `${k.kind}.secondary`] : [k.kind]));

export function eventKindOf(id: string): EventKind | undefined {
  return BY_KIND.get(id.replace(/\.(primary|secondary)$/, ""));
}

export function eventId(kind: string, side?: Side): string {
  const spec = BY_KIND.get(kind);
  if (!spec) throw new Error(`unknown event kind '${kind}'`);
  if (spec.perSide !== (side !== undefined)) throw new Error(`event kind '${kind}' ${spec.perSide ? "needs" : "takes no"} side`);
  return side ? `${kind}.${side}` : kind;
}

export function eventSeverity(kind: SideEventKind | PairEventKind): Severity {
  return BY_KIND.get(kind)!.severity;
}

/** Fills an event's text template; an unknown placeholder outside `[…]` stays visible rather than being dropped. */
export function formatEventText(kind: string, fields: Record<string, string | number | undefined>): string {
  const spec = BY_KIND.get(kind);
  if (!spec) throw new Error(`unknown event kind '${kind}'`);
  const has = (key: string) => fields[key] !== undefined && fields[key] !== "";
  const fill = (template: string) => template.replace(/\{(\w+)\}/g, (whole, key: string) => (has(key) ? String(fields[key]) : whole));
  return fill(spec.text.replace(/\[([^\]]*)\]/g, (_whole, segment: string) => ([...segment.matchAll(/\{(\w+)\}/g)].every((m) => has(m[1])) ? segment : "")));
}
