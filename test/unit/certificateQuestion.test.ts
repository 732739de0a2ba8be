import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { certificateQuestion } from "../../client/src/commands/certificateQuestion";

describe("Trust Server Certificate…: what it shows before the user confirms", () => {
  it("names the server, why it was refused, and the certificate's subject, validity and thumbprint", () => {
    const { message, detail } = certificateQuestion("Line4", "primary", "opc.tcp://plc-a:4840", {
      thumbprint: "5d892570dec60ed85e2d532b2af8a54906b2656a",
      subject: "C=FR, O=Sterfive, CN=plc-a",
      validFrom: "2026-11-30T03:09:02.000Z",
      validTo: "2036-11-27T03:09:02.000Z",
      reason: "changed",
      pinnedThumbprint: "115246cfebf85de2f3025f1af11a5aee85b6cd0c",
    });
    assert.equal(message, "Trust the certificate of 'Line4' on the primary (opc.tcp://plc-a:4840)?");
    assert.deepEqual(detail.split("\n").slice(0, 6), [
      "It is not the certificate this server presented before and was pinned to.",
      "",
      "Subject: C=FR, O=Sterfive, CN=plc-a",
      "Valid: 2026-11-30T03:09:02.000Z to 2036-11-27T03:09:02.000Z",
      "Thumbprint (SHA-1): 5d892570dec60ed85e2d532b2af8a54906b2656a",
      "Pinned before: 115246cfebf85de2f3025f1af11a5aee85b6cd0c",
    ]);
  });
});
