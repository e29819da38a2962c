/** Teams when the check queue is full or the bot is stopping: a clear notice card, audited. */
import { describe, expect, it } from "vitest";
import { BUSY_MESSAGE, RESTARTING_MESSAGE } from "../../../src/app/chat/handle-command.js";
import { CheckQueueFull, ShuttingDown } from "../../../src/app/serving/check-queue.js";
import { cardOf, harness } from "./bot-harness.js";
import { cardText } from "./card-validation.js";

describe("Teams: a check the queue refuses", () => {
  it.each([
    ["full", new CheckQueueFull(100), BUSY_MESSAGE, "busy"],
    ["closed", new ShuttingDown(), RESTARTING_MESSAGE, "shutting_down"],
  ])("queue %s: a notice card saying so, no diagnosis", async (_name, error, message, outcome) => {
    const h = harness({ runCheck: () => Promise.reject(error) });
    await h.send({ id: `busy-${outcome}`, text: "attest check sgxtestuksouthsrv" });
    const replies = h.replies().filter((a) => a.type === "message");
    expect(replies).toHaveLength(1);
    expect(cardText(cardOf(replies[0]))).toContain(message);
    expect(h.audit.entries[0]).toMatchObject({ command: "check", outcome });
  });
});
