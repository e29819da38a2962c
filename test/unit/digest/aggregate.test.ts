import { describe, expect, it } from "vitest";
import { buildDigest, topServers } from "../../../src/domain/digest/aggregate.js";
import { digestJson } from "../../../src/domain/digest/json.js";
import { sparkline } from "../../../src/domain/digest/sparkline.js";
import type { Classifier } from "../../../src/domain/digest/types.js";
import { DAY, row, TO, tinyClassifier } from "./fixtures.js";

const opts = { fromMs: TO - DAY, toMs: TO, periods: 5, minFailures: 1, truncated: false };

describe("buildDigest", () => {
  it("counts this window's failures by rule and category, with trend against the previous window", () => {
    const view = buildDigest(
      [
        row("srv-a", 0, 10),
        row("srv-a", 0, 2, "status: 0x000001f4"),
        row("srv-a", 1, 4),
        row("srv-a", 3, 1),
        row("srv-b", 0, 3),
        row("srv-b", 1, 9),
      ],
      tinyClassifier,
      opts,
    );
    expect(view.window).toEqual({ from: "2026-11-23T00:00:00.000Z", to: "2026-11-24T00:00:00.000Z" });
    expect(view.totals).toEqual({ customer_error: 13, maa_escalation: 2 });
    const [a, b] = view.servers;
    expect(a).toMatchObject({
      server: "srv-a",
      verdict: "maa_escalation",
      failures: 12,
      byRule: { "rbac-missing": 10, "maa-500": 2 },
      new: false,
      trend: { previous: 4, direction: "up", arrow: "↑" },
    });
    expect(a?.trend.sparkline).toHaveLength(5);
    expect(a?.trend.sparkline.at(-1)).toBe("█");
    expect(a?.firstSeen).toBe(row("srv-a", 3, 1).firstSeen);
    expect(a?.lastSeen).toBe(row("srv-a", 0, 1).lastSeen);
    expect(b).toMatchObject({
      server: "srv-b",
      failures: 3,
      trend: { previous: 9, direction: "down", arrow: "↓" },
    });
  });

  it("tells new from recurring servers and lists servers that cleared", () => {
    const view = buildDigest(
      [row("fresh", 0, 1), row("old", 0, 1), row("old", 4, 1), row("gone", 1, 5), row("ancient", 5, 5)],
      tinyClassifier,
      opts,
    );
    expect(view.servers.map((s) => [s.server, s.new])).toEqual([
      ["fresh", true],
      ["old", false],
    ]);
    expect(view.cleared).toEqual(["gone"]);
  });

  it("orders by urgency, then failures, then name; honours min failures", () => {
    const view = buildDigest(
      [
        row("c-many", 0, 50),
        row("d-deploy", 0, 1, "enclave not loaded"),
        row("a-few", 0, 2),
        row("b-few", 0, 2),
        row("tiny", 0, 1),
      ],
      tinyClassifier,
      { ...opts, minFailures: 2 },
    );
    expect(view.servers.map((s) => s.server)).toEqual(["c-many", "a-few", "b-few"]);
    const all = buildDigest(
      [row("c-many", 0, 50), row("d-deploy", 0, 1, "enclave not loaded")],
      tinyClassifier,
      opts,
    );
    expect(all.servers.map((s) => s.server)).toEqual(["d-deploy", "c-many"]);
  });

  it("classifies each distinct sample once", () => {
    let calls = 0;
    const counting: typeof tinyClassifier = (s, e) => {
      calls++;
      return tinyClassifier(s, e);
    };
    buildDigest(
      Array.from({ length: 100 }, (_, i) => row(`s${i}`, 0, 1)),
      counting,
      opts,
    );
    expect(calls).toBe(1);
  });

  it("ignores rows after the window end or before the look-back", () => {
    const view = buildDigest([row("x", -1, 7), row("x", 5, 7)], tinyClassifier, opts);
    expect(view.servers).toEqual([]);
  });

  it("JSON form has exactly the issue's keys", () => {
    const json = digestJson(buildDigest([row("srv-a", 0, 2), row("srv-a", 1, 1)], tinyClassifier, opts));
    expect(Object.keys(json)).toEqual(["window", "totals", "servers"]);
    expect(json.servers[0]).toEqual({
      server: "srv-a",
      verdict: "customer_error",
      failures: 2,
      byRule: { "rbac-missing": 2 },
      trend: { previous: 1, direction: "up", sparkline: "▁▁▁▅█" },
      new: false,
    });
  });

  it("top N with the rest counted", () => {
    const view = buildDigest(
      Array.from({ length: 25 }, (_, i) => row(`s${String(i).padStart(2, "0")}`, 0, 100 - i)),
      tinyClassifier,
      opts,
    );
    const { shown, more } = topServers(view, 10);
    expect(shown.map((s) => s.server)[0]).toBe("s00");
    expect(shown).toHaveLength(10);
    expect(more).toBe(15);
  });
});

describe("sparkline", () => {
  it("scales to the largest value and keeps zero lowest", () => {
    expect(sparkline([0, 1, 2, 4, 8])).toBe("▁▃▄▅█");
    expect(sparkline([0, 0])).toBe("▁▁");
    expect(sparkline([3, 3])).toBe("██");
  });
});

describe("buildDigest with rules a failure also counts under", () => {
  it("counts the failures under every rule, and once per category in totals", () => {
    const classify: Classifier = (sample) =>
      sample.includes("bad-url")
        ? {
            rule: "maa-other-4xx",
            category: "customer_error",
            also: [{ rule: "attestation-url-malformed", category: "customer_error" }],
          }
        : sample.includes("both")
          ? {
              rule: "maa-500",
              category: "maa_escalation",
              also: [{ rule: "url-x", category: "customer_error" }],
            }
          : tinyClassifier(sample, 37324);
    const view = buildDigest(
      [row("srv-a", 0, 43, "bad-url 0x00000194"), row("srv-a", 0, 2), row("srv-b", 0, 5, "both")],
      classify,
      opts,
    );
    expect(view.servers.find((s) => s.server === "srv-a")).toMatchObject({
      failures: 45,
      verdict: "customer_error",
      byRule: { "attestation-url-malformed": 43, "maa-other-4xx": 43, "rbac-missing": 2 },
    });
    expect(view.servers.find((s) => s.server === "srv-b")).toMatchObject({
      failures: 5,
      verdict: "maa_escalation",
      byRule: { "maa-500": 5, "url-x": 5 },
    });
    expect(view.totals).toEqual({ maa_escalation: 5, customer_error: 50 });
  });
});
