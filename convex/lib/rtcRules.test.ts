import { describe, expect, test } from "vitest";
import {
  checkSignal,
  MAX_CANDIDATE_CHARS,
  MAX_SDP_CHARS,
  sdpMediaDirections,
  sdpSendsMedia,
} from "./rtcRules";

const section = (kind: string, port: string, dir?: string) =>
  `m=${kind} ${port} UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\n${dir ? `a=${dir}\r\n` : ""}`;
const sdp = (...sections: string[]) =>
  `v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n${sections.join("")}`;

describe("SDP media directions", () => {
  test("each section's own direction; sendrecv when none; port 0 sections ignored", () => {
    const s = sdp(
      section("audio", "9", "recvonly"),
      section("video", "9"),
      section("video", "0", "sendonly"),
    );
    expect(sdpMediaDirections(s)).toEqual([
      { kind: "audio", direction: "recvonly" },
      { kind: "video", direction: "sendrecv" },
    ]);
    expect(sdpSendsMedia(s)).toBe(true);
  });

  test("a session-level direction applies to sections without their own", () => {
    const s = `v=0\r\ns=-\r\na=recvonly\r\n${section("audio", "9")}${section("video", "9", "inactive")}`;
    expect(sdpSendsMedia(s)).toBe(false);
  });

  test("data sections never count as media", () => {
    expect(sdpSendsMedia(sdp(section("application", "9", "sendrecv")))).toBe(false);
  });
});

describe("checkSignal", () => {
  test("accepts well-formed descriptions and candidates", () => {
    expect(checkSignal("offer", sdp(section("audio", "9", "sendrecv")), false)).toBeNull();
    expect(
      checkSignal(
        "candidate",
        JSON.stringify({ candidate: "", sdpMid: null, sdpMLineIndex: null }),
        false,
      ),
    ).toBeNull();
  });

  test("refuses oversize, non-SDP and malformed payloads", () => {
    expect(checkSignal("answer", `v=0\r\n${"x".repeat(MAX_SDP_CHARS)}`, false)?.code).toBe(
      "VALIDATION_ERROR",
    );
    expect(checkSignal("offer", "hello", false)?.code).toBe("VALIDATION_ERROR");
    expect(checkSignal("candidate", "x".repeat(MAX_CANDIDATE_CHARS + 1), false)?.code).toBe(
      "VALIDATION_ERROR",
    );
    for (const bad of [
      "[]",
      "null",
      "1",
      '{"candidate":1}',
      '{"candidate":"a","sdpMid":3}',
      '{"candidate":"a","sdpMLineIndex":-1}',
      '{"candidate":"a","sdpMLineIndex":1.5}',
    ])
      expect(checkSignal("candidate", bad, false)?.code, bad).toBe("VALIDATION_ERROR");
  });

  test("a receive-only session may answer recvonly but not describe media it would send", () => {
    expect(
      checkSignal(
        "answer",
        sdp(section("audio", "9", "recvonly"), section("video", "9", "recvonly")),
        true,
      ),
    ).toBeNull();
    expect(
      checkSignal("answer", sdp(section("audio", "9", "recvonly"), section("video", "9")), true)
        ?.code,
    ).toBe("FORBIDDEN");
    expect(checkSignal("offer", sdp(section("audio", "9", "sendonly")), true)?.code).toBe(
      "FORBIDDEN",
    );
  });
});
