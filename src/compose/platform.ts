/** What every chat platform module receives from the composition root. */
import type { DigestChatDeps } from "../app/chat/digest-commands.js";
import type { ChatDeps } from "../app/chat/handle-command.js";
import type { Logger } from "../ports/log.js";

export interface PlatformContext {
  readonly chat: ChatDeps;
  /** `attest digest ...` commands (subscriptions in the durable store); null when digests are off. */
  readonly digest: DigestChatDeps | null;
  readonly logger: Logger;
  /** Local mode: no bot identity, bound to 127.0.0.1; allow-lists may be empty. */
  readonly localMode: boolean;
  /**
   * The `fetch` for outbound platform requests (Slack's response_url and Web API): the check
   * workers' (CheckWorkerPool.fetch), so sockets and parsing stay off the main thread; absent:
   * the global fetch.
   */
  readonly fetch?: typeof fetch;
}

/** A platform's settings parsed from the environment: every problem listed, nothing thrown. */
export interface PlatformConfigResult<T> {
  /** null when the platform is not configured (its routes are off). */
  readonly value: T | null;
  readonly problems: readonly string[];
}
