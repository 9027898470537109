import { describe, expect, it } from "vitest";
import { child, codePointToUtf16, decode, DELIMITER, encode, header, replyType, sign, SignatureError, utf16ToCodePoint, verify } from "../../src/kernel/protocol";

// Produced by jupyter_client's Session (Debian's python3-jupyter-client) with key b"course-key".
const PYTHON_WIRE = [
  "client-id",
  "<IDS|MSG>",
  "57626e49d0b8b8cf148f8e9ce94a36be52e508012218830c35615e244c2e1814",
  '{"msg_id": "623aebe2-c1e556ed50e574495bd1670e_26766_0", "msg_type": "execute_request", "username": "username", "session": "623aebe2-c1e556ed50e574495bd1670e", "date": "2026-11-23T09:06:52.950848Z", "version": "5.3"}',
  "{}",
  "{}",
  '{"code": "1 + 1"}',
];

describe("message signing", () => {
  it("computes the same HMAC-SHA256 as jupyter_client", () => {
    const parts = ['{"msg_id":"1"}', "{}", "{}", '{"code":"1 + 1"}'];
    expect(sign("course-key", parts)).toBe("74ad9b85dea6ca118cf65163269c921a8b222629c62622f69d80634f2b55e5fe");
    expect(verify("course-key", "74ad9b85dea6ca118cf65163269c921a8b222629c62622f69d80634f2b55e5fe", parts)).toBe(true);
    expect(verify("other-key", "74ad9b85dea6ca118cf65163269c921a8b222629c62622f69d80634f2b55e5fe", parts)).toBe(false);
    expect(verify("course-key", "00", parts)).toBe(false);
  });

  it("accepts a message signed by jupyter_client and keeps its routing identity", () => {
    const message = decode("course-key", PYTHON_WIRE.map((f) => Buffer.from(f)));
    expect(message.identities.map(String)).toEqual(["client-id"]);
    expect(message.header.msg_type).toBe("execute_request");
    expect(message.content).toEqual({ code: "1 + 1" });
  });

  it("rejects a tampered message, a wrong key and a missing delimiter", () => {
    const tampered = [...PYTHON_WIRE];
    tampered[6] = '{"code": "2 + 2"}';
    expect(() => decode("course-key", tampered.map((f) => Buffer.from(f)))).toThrow(SignatureError);
    expect(() => decode("wrong", PYTHON_WIRE.map((f) => Buffer.from(f)))).toThrow(SignatureError);
    expect(() => decode("course-key", PYTHON_WIRE.filter((f) => f !== DELIMITER).map((f) => Buffer.from(f)))).toThrow(/delimiter/);
  });

  it("signs nothing and checks nothing with an empty key, as jupyter_client does", () => {
    expect(sign("", ["{}"])).toBe("");
    const frames = encode("", { header: header("status", "s"), parent_header: {}, metadata: {}, content: {}, buffers: [] });
    expect(frames[1]).toBe("");
    expect(decode("", frames.map((f) => Buffer.from(f))).header.msg_type).toBe("status");
  });

  it("round-trips through encode and decode, buffers excluded from the signature", () => {
    const request = decode("course-key", PYTHON_WIRE.map((f) => Buffer.from(f)));
    const reply = child(request, replyType("execute_request"), { status: "ok", execution_count: 1 }, "kernel-session");
    reply.buffers = [Buffer.from("raw")];
    const frames = encode("course-key", reply, request.identities).map((f) => Buffer.from(f));
    const back = decode("course-key", frames);
    expect(back.header.msg_type).toBe("execute_reply");
    expect(back.header.session).toBe("kernel-session");
    expect(back.header.version).toBe("5.3");
    expect(back.parent_header).toEqual(request.header);
    expect(back.buffers.map(String)).toEqual(["raw"]);
    expect(back.identities.map(String)).toEqual(["client-id"]);
  });
});

describe("cursor positions", () => {
  it("converts Jupyter's code points to JavaScript's UTF-16 offsets and back", () => {
    const text = "const ε = '😀'; ε.toF";
    const points = [...text].length;
    expect(codePointToUtf16(text, points)).toBe(text.length);
    expect(utf16ToCodePoint(text, text.length)).toBe(points);
    expect(codePointToUtf16(text, 12)).toBe(13); // after the emoji (two UTF-16 units)
    expect(utf16ToCodePoint(text, 13)).toBe(12);
  });
});
