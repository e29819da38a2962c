/**
 * Issue 10: when no Kusto question got an answer, throttling is named as throttling (with the
 * retries made) in every reply — the Teams card, the Slack message — and anything else is still
 * "could not be reached".
 */
import { describe, expect, it } from "vitest";
import { KustoUnavailable, unavailableMessage } from "../../../src/app/run-check.js";
import { KustoFailure } from "../../../src/ports/kusto.js";
import { renderNotice } from "../../../src/render/block-kit/render-messages.js";
import { cardOf, harness } from "../teams/bot-harness.js";
import { cardText } from "../teams/card-validation.js";

const throttled = (retries: number) =>
  new KustoFailure("throttled", "q: Kusto is throttling requests (429)", {
    requestId: "attest-bot;x",
    transient: true,
    retries,
  });
const unreachable = new KustoFailure("unreachable", "q: cannot reach Kusto (ECONNREFUSED)", {
  requestId: "attest-bot;y",
});

describe("the unavailable message", () => {
  it("names throttling and counts the retries of every question", () => {
    expect(unavailableMessage([throttled(2), throttled(1), unreachable])).toBe(
      "Kusto is throttling requests (429) — retried 3 times, so nothing was checked. Try again in a minute.",
    );
    expect(unavailableMessage([throttled(1)])).toContain("retried 1 time,");
    expect(new KustoUnavailable([throttled(0)]).reason).toBe("throttled");
  });

  it("anything else: could not be reached", () => {
    expect(unavailableMessage([unreachable])).toContain("Kusto could not be reached");
    expect(new KustoUnavailable([unreachable]).reason).toBe("unavailable");
  });

  it("Teams: the notice card says throttling", async () => {
    const h = harness({
      runCheck: async () => {
        throw new KustoUnavailable([throttled(2), throttled(2), throttled(2), throttled(2)]);
      },
    });
    await h.send({ id: "t1", text: "attest check sgxtestuksouthsrv" });
    const card = cardOf(h.replies().filter((a) => a.type === "message")[0]);
    const text = cardText(card);
    expect(text).toContain("Kusto is throttling requests (429) — retried 8 times");
    expect(text).not.toContain("could not be reached");
    expect(h.audit.entries[0]).toMatchObject({ outcome: "unavailable" });
  });

  it("Slack: the notice says throttling", () => {
    const message = unavailableMessage([throttled(2)]);
    expect(JSON.stringify(renderNotice(message))).toContain(
      "Kusto is throttling requests (429) — retried 2 times",
    );
  });
});
