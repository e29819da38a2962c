/**
 * The ChatPoster contract, run against every poster (in memory, Slack over a loopback Slack API,
 * Teams over a loopback Bot Framework connector): a post reaches its channel once, with its content,
 * and resolves with the platform's message id; a platform's refusal comes back as a PostFailure of
 * the right kind (permanent / rate_limited with Retry-After / transient), after one request only
 * (the scheduler retries, never the poster), and nothing else is ever thrown.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDigest } from "../../src/domain/digest/aggregate.js";
import type { DeliveryTarget } from "../../src/domain/digest/subscription.js";
import {
  type ChatPoster,
  type DigestPost,
  type PlatformFault,
  PostFailure,
  type PostFailureKind,
} from "../../src/ports/chat-poster.js";
import { DAY, row, TO, tinyClassifier } from "../unit/digest/fixtures.js";

/** What the platform accepted as a message. */
export interface Delivered {
  /** How the platform addresses the channel: Slack channel id, Teams conversation id. */
  readonly address: string;
  /** Everything the platform received for the message, serialized (text, blocks, card). */
  readonly content: string;
  /** The id the platform answered with. */
  readonly messageId: string;
}

export interface PosterUnderTest {
  readonly poster: ChatPoster;
  /** A channel the platform knows (Teams: a stored conversation reference) and its address there. */
  readonly channel: (name: string) => Promise<{ readonly target: DeliveryTarget; readonly address: string }>;
  /** The platform answers the next post request with `fault`. */
  readonly failNext: (fault: PlatformFault) => void;
  /** Post requests that reached the platform, accepted or not. */
  readonly attempts: () => number;
  /** Messages the platform accepted, in order. */
  readonly delivered: () => readonly Delivered[];
  readonly close: () => Promise<void>;
}

/** Two failing servers, both above topN's cut, so every renderer must show both names. */
export const CONTRACT_POST: DigestPost = {
  view: buildDigest(
    [row("srv-contract-alpha", 0, 5), row("srv-contract-beta", 0, 2, "Return code: '0x000001f4'")],
    tinyClassifier,
    { fromMs: TO - DAY, toMs: TO, periods: 7, minFailures: 1, truncated: false },
  ),
  title: "Attestation digest (subscription d-contract)",
  topN: 10,
};

/** Runs `post` and returns its PostFailure; fails the test on success, a sync throw or any other error. */
async function failureOf(poster: ChatPoster, target: DeliveryTarget): Promise<PostFailure> {
  let pending: Promise<unknown> | undefined;
  expect(() => {
    pending = poster.post(target, CONTRACT_POST);
  }).not.toThrow();
  const outcome = await pending!.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  if (outcome.ok) throw new Error(`expected the post to fail, it resolved ${JSON.stringify(outcome.value)}`);
  expect(outcome.error).toBeInstanceOf(PostFailure);
  const failure = outcome.error as PostFailure;
  expect(failure.code).toEqual(expect.any(String));
  expect(failure.code).not.toBe("");
  return failure;
}

interface FaultCase {
  readonly name: string;
  readonly fault: PlatformFault;
  readonly kind: PostFailureKind;
  readonly retryAfterMs: number | null;
  /** The PostFailure code, where every platform agrees on one. */
  readonly code?: string;
}

const FAULTS: readonly FaultCase[] = [
  {
    name: "not in channel (Slack not_in_channel, Teams 403)",
    fault: { kind: "not_in_channel" },
    kind: "permanent",
    retryAfterMs: null,
  },
  {
    name: "channel not found (Slack channel_not_found, Teams 404)",
    fault: { kind: "channel_not_found" },
    kind: "permanent",
    retryAfterMs: null,
  },
  {
    name: "429 with Retry-After: 3",
    fault: { kind: "rate_limited", retryAfterSeconds: 3 },
    kind: "rate_limited",
    retryAfterMs: 3000,
  },
  {
    name: "429 with Retry-After: 30",
    fault: { kind: "rate_limited", retryAfterSeconds: 30 },
    kind: "rate_limited",
    retryAfterMs: 30_000,
  },
  {
    name: "429 without Retry-After",
    fault: { kind: "rate_limited", retryAfterSeconds: null },
    kind: "rate_limited",
    retryAfterMs: null,
  },
  { name: "500", fault: { kind: "server_error", status: 500 }, kind: "transient", retryAfterMs: null },
  { name: "502", fault: { kind: "server_error", status: 502 }, kind: "transient", retryAfterMs: null },
  { name: "503", fault: { kind: "server_error", status: 503 }, kind: "transient", retryAfterMs: null },
  { name: "504", fault: { kind: "server_error", status: 504 }, kind: "transient", retryAfterMs: null },
  {
    name: "a dropped connection",
    fault: { kind: "connection_dropped" },
    kind: "transient",
    retryAfterMs: null,
  },
  {
    name: "no answer (the poster's timeout)",
    fault: { kind: "no_answer" },
    kind: "transient",
    retryAfterMs: null,
    code: "timeout",
  },
];

/** Registers the contract's tests for one poster. */
export function chatPosterContract(name: string, setup: () => Promise<PosterUnderTest>): void {
  describe(`ChatPoster contract: ${name}`, () => {
    let sut: PosterUnderTest;
    beforeAll(async () => {
      sut = await setup();
    });
    afterAll(async () => {
      await sut?.close();
    });

    it("delivers a post once, to its channel, with its title and servers, and returns the message id", async () => {
      const { target, address } = await sut.channel("ok");
      const attempts = sut.attempts();
      const delivered = sut.delivered().length;

      const result = await sut.poster.post(target, CONTRACT_POST);

      expect(sut.attempts() - attempts).toBe(1);
      const fresh = sut.delivered().slice(delivered);
      expect(fresh).toHaveLength(1);
      const message = fresh[0]!;
      expect(message.address).toBe(address);
      expect(message.content).toContain(CONTRACT_POST.title);
      for (const server of CONTRACT_POST.view.servers) expect(message.content).toContain(server.server);
      expect(result.messageId).not.toBe("");
      expect(result.messageId).toBe(message.messageId);
    });

    it("two posts to two channels are two messages, each where it was sent, with distinct ids", async () => {
      const one = await sut.channel("first");
      const two = await sut.channel("second");
      const delivered = sut.delivered().length;

      const a = await sut.poster.post(one.target, CONTRACT_POST);
      const b = await sut.poster.post(two.target, CONTRACT_POST);

      expect(
        sut
          .delivered()
          .slice(delivered)
          .map((d) => [d.address, d.messageId]),
      ).toEqual([
        [one.address, a.messageId],
        [two.address, b.messageId],
      ]);
      expect(a.messageId).not.toBe(b.messageId);
    });

    it.each(FAULTS.map((c) => [c.name, c] as const))(
      "%s → PostFailure, after one request, nothing delivered",
      async (_, { fault, kind, retryAfterMs, code }) => {
        const { target } = await sut.channel("faulty");
        const attempts = sut.attempts();
        const delivered = sut.delivered().length;
        sut.failNext(fault);

        const failure = await failureOf(sut.poster, target);

        expect(failure.kind).toBe(kind);
        expect(failure.retryAfterMs).toBe(retryAfterMs);
        if (code !== undefined) expect(failure.code).toBe(code);
        expect(sut.attempts() - attempts).toBe(1);
        expect(sut.delivered()).toHaveLength(delivered);
      },
    );

    it("after every kind of failure, the next post goes through", async () => {
      const { target, address } = await sut.channel("recovers");
      for (const { fault } of FAULTS) {
        sut.failNext(fault);
        await failureOf(sut.poster, target);
        const result = await sut.poster.post(target, CONTRACT_POST);
        expect(sut.delivered().at(-1)).toMatchObject({ address, messageId: result.messageId });
      }
    });
  });
}
