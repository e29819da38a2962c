/**
 * Bench child: the baseline, a bare @slack/bolt app on its own HTTPReceiver whose slash command
 * only acknowledges. Same signing secret, SDK and authorization as the bot (a known token, no
 * auth.test); tells its parent its URL and, on request, its in-process acknowledgement times.
 */
import { App, HTTPReceiver, LogLevel } from "@slack/bolt";
import { takeAckTimes } from "./ack-timer.js";

const token = process.env.SLACK_BOT_TOKEN ?? "";
const receiver = new HTTPReceiver({ signingSecret: process.env.SLACK_SIGNING_SECRET ?? "" });
const app = new App({
  receiver,
  authorize: async () => ({ botToken: token }),
  ignoreSelf: false,
  convoStore: false,
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL ?? "http://127.0.0.1:9/api/" },
  logLevel: LogLevel.ERROR,
});
app.command("/attest", async ({ ack }) => {
  await ack({ response_type: "ephemeral", text: "ok" });
});
const server = await app.start({ port: 0, host: "127.0.0.1" });
const address = (server as unknown as { address(): { port: number } }).address();
process.on("message", (m: unknown) => {
  if (m === "acks") process.send?.(takeAckTimes());
});
process.send?.({ url: `http://127.0.0.1:${address.port}` });
