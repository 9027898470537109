/**
 * The Jupyter wire protocol (messaging spec 5.3): framing, HMAC signing and verification,
 * headers and replies. Pure: no sockets, so every part is testable alone.
 * https://jupyter-client.readthedocs.io/en/latest/messaging.html#the-wire-protocol
 */
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";

export const PROTOCOL_VERSION = "5.3";
/** Separates the ZeroMQ routing identities from the message frames. */
export const DELIMITER = "<IDS|MSG>";

export interface Header {
  msg_id: string;
  session: string;
  username: string;
  date: string;
  msg_type: string;
  version: string;
}

export interface Message<C = Record<string, unknown>> {
  header: Header;
  /** Empty object for messages that answer nothing (e.g. status "starting"). */
  parent_header: Header | Record<string, never>;
  metadata: Record<string, unknown>;
  content: C;
  buffers: Buffer[];
}

/** A received message with the identities needed to route the reply back. */
export interface Incoming extends Message {
  identities: Buffer[];
}

export type Frame = Buffer | string;

export class SignatureError extends Error {
  override name = "SignatureError";
}

/** HMAC-SHA256 hex digest over header, parent header, metadata and content (never buffers). */
export function sign(key: string, parts: readonly Frame[]): string {
  if (key === "") return "";
  const hmac = createHmac("sha256", key);
  for (const part of parts) hmac.update(part);
  return hmac.digest("hex");
}

export function verify(key: string, signature: string, parts: readonly Frame[]): boolean {
  if (key === "") return true; // an empty key disables authentication, as in jupyter_client
  const expected = Buffer.from(sign(key, parts), "utf8");
  const given = Buffer.from(signature, "utf8");
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** Parses [identities..., DELIM, signature, header, parent, metadata, content, buffers...]. */
export function decode(key: string, frames: readonly Buffer[]): Incoming {
  const delim = frames.findIndex((f) => f.length === DELIMITER.length && f.toString("latin1") === DELIMITER);
  if (delim < 0) throw new SignatureError("message has no <IDS|MSG> delimiter");
  if (frames.length < delim + 6) throw new SignatureError("message has fewer than 4 JSON frames");
  const signature = frames[delim + 1]!.toString("utf8");
  const parts = frames.slice(delim + 2, delim + 6);
  if (!verify(key, signature, parts)) throw new SignatureError("invalid HMAC signature");
  const [header, parent, metadata, content] = parts.map((p) => JSON.parse(p.toString("utf8")));
  return {
    identities: frames.slice(0, delim),
    header,
    parent_header: parent ?? {},
    metadata: metadata ?? {},
    content: content ?? {},
    buffers: frames.slice(delim + 6),
  };
}

/** Serialises and signs a message into frames ready for a ZeroMQ socket. */
export function encode(key: string, message: Message<object>, identities: readonly Frame[] = []): Frame[] {
  const parts = [message.header, message.parent_header, message.metadata, message.content].map((p) => JSON.stringify(p));
  return [...identities, DELIMITER, sign(key, parts), ...parts, ...message.buffers];
}

export function header(msgType: string, session: string, username = "kernel"): Header {
  return {
    msg_id: randomUUID(),
    session,
    username,
    date: new Date().toISOString(),
    msg_type: msgType,
    version: PROTOCOL_VERSION,
  };
}

/** A message caused by `parent` (a reply or an iopub side effect): parent header set, our session. */
export function child<C extends object>(
  parent: Message | undefined,
  msgType: string,
  content: C,
  session: string,
): Message<C> {
  const username = parent?.header.username ?? "kernel";
  return {
    header: header(msgType, session, username),
    parent_header: parent ? parent.header : {},
    metadata: {},
    content,
    buffers: [],
  };
}

/** `execute_request` → `execute_reply`, and so on. */
export function replyType(requestType: string): string {
  return requestType.replace(/_request$/, "_reply");
}

/** Jupyter counts cursor positions in Unicode code points; JavaScript strings index UTF-16 units. */
export function codePointToUtf16(text: string, cursor: number): number {
  let units = 0;
  let points = 0;
  for (const ch of text) {
    if (points >= cursor) break;
    units += ch.length;
    points++;
  }
  return units;
}

export function utf16ToCodePoint(text: string, offset: number): number {
  return [...text.slice(0, offset)].length;
}
