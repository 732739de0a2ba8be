import type { ClientSession } from "node-opcua";

/**
 * The one place where a node's identity is translated between namespace tables. Two OPC UA
 * servers (and the endpoint in front of them) may number the same namespace URI differently, so
 * a node is identified across them by its namespace URI and identifier, in OPC UA's string form
 * `nsu=<uri>;<identifier>` (Part 6 §5.3.1.11; `;` and `%` in the URI percent-encoded), and only
 * turned into a `ns=<index>;<identifier>` NodeId for one server's table at the moment a request
 * goes there. Standard-namespace nodes (index 0 everywhere) keep their plain form (`i=2258`).
 * Text only: the language server uses this without loading node-opcua.
 */

/** The OPC UA namespace, index 0 in every table. */
export const STANDARD_NAMESPACE = "http://opcfoundation.org/UA/";

/** A node's identity across servers: `nsu=<uri>;<identifier>`, or the plain identifier in the standard namespace. */
export type NodeIdentity = string;

interface NodeIdText {
  /** The index (`ns=`), 0 when none is given; absent when the text names the URI. */
  index?: number;
  uri?: string;
  /** `i=…`, `s=…`, `g=…` or `b=…`. */
  identifier: string;
}

const INDEXED = /^(?:ns=(\d+);)?([isgb]=[\s\S]*)$/;
const BY_URI = /^nsu=([^;]+);([isgb]=[\s\S]*)$/;

function parse(text: string): NodeIdText | undefined {
  const byUri = BY_URI.exec(text);
  if (byUri) return { uri: decodeUri(byUri[1]), identifier: byUri[2] };
  const indexed = INDEXED.exec(text);
  return indexed ? { index: Number(indexed[1] ?? 0), identifier: indexed[2] } : undefined;
}

/** True for `nsu=<uri>;<identifier>`, the form that needs no namespace table. */
export function namesNamespaceUri(text: string): boolean {
  return BY_URI.test(text);
}

/** The identity of a NodeId given in `table`'s numbering (`ns=3;s=Counter`, `i=85`) or by URI; undefined when the table lacks its index. */
export function identityIn(text: string, table: readonly string[]): NodeIdentity | undefined {
  const id = parse(text);
  if (!id) return undefined;
  const uri = id.uri ?? table[id.index!];
  return uri === undefined ? undefined : identity(uri, id.identifier);
}

/** The NodeId text (`ns=<index>;<identifier>`) of an identity in `table`'s numbering; undefined when the table lacks its URI. */
export function nodeIdIn(identityText: NodeIdentity, table: readonly string[]): string | undefined {
  const id = parse(identityText);
  if (!id) return undefined;
  const index = id.uri === undefined ? id.index! : id.uri === STANDARD_NAMESPACE ? 0 : table.indexOf(id.uri);
  if (index < 0) return undefined;
  return index === 0 ? id.identifier : `ns=${index};${id.identifier}`;
}

/** The namespace URI of an identity. */
export function namespaceOf(identityText: NodeIdentity): string {
  return parse(identityText)?.uri ?? STANDARD_NAMESPACE;
}

function identity(uri: string, identifier: string): NodeIdentity {
  return uri === STANDARD_NAMESPACE ? identifier : `nsu=${encodeUri(uri)};${identifier}`;
}

function encodeUri(uri: string): string {
  return uri.replace(/%/g, "%25").replace(/;/g, "%3B");
}

function decodeUri(text: string): string {
  return text.replace(/%3B/gi, ";").replace(/%25/g, "%");
}

/**
 * A config item id as the engine reads it: `nsu=` as written; `ns=<index>` in the primary's
 * numbering (the table it has now, else the one the engine last saw); without a known primary
 * table, in the numbering of the server asked (`fallback`), as if both numbered alike.
 */
export function configItemIdentity(id: string, primaryTable: readonly string[] | undefined, fallback: readonly string[]): NodeIdentity | undefined {
  return identityIn(id, primaryTable ?? fallback);
}

/**
 * Each upstream session's namespace table, read once per session: a reconnect is a new session,
 * so a server restarted with its namespaces in another order is read again.
 */
export class SessionTables {
  private readonly tables = new WeakMap<ClientSession, Promise<string[]>>();

  table(session: ClientSession): Promise<string[]> {
    let table = this.tables.get(session);
    if (!table) {
      table = session.readNamespaceArray();
      this.tables.set(session, table);
      table.catch(() => this.tables.delete(session));
    }
    return table;
  }

  /** The NodeId text of an identity on this session; undefined when the server lacks its namespace. */
  async nodeIdOn(identityText: NodeIdentity, session: ClientSession): Promise<string | undefined> {
    return nodeIdIn(identityText, await this.table(session));
  }
}
