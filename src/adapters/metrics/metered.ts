/**
 * Decorators that count at the ports' boundaries, so use cases stay unaware of metrics: every
 * audited command (with its verdict and duration), every Kusto query (latency and failure kind,
 * throttling included) and every digest post attempt.
 */
import type { DeliveryTarget } from "../../domain/digest/subscription.js";
import type { AuditEntry, AuditLog } from "../../ports/audit.js";
import { type ChatPoster, type DigestPost, PostFailure } from "../../ports/chat-poster.js";
import {
  KustoFailure,
  type KustoQueryRequest,
  type KustoQueryResult,
  type KustoRunner,
} from "../../ports/kusto.js";
import type { Metrics } from "../../ports/metrics.js";

export class MeteredAuditLog implements AuditLog {
  readonly #inner: AuditLog;
  readonly #metrics: Metrics;
  constructor(inner: AuditLog, metrics: Metrics) {
    this.#inner = inner;
    this.#metrics = metrics;
  }
  record(entry: AuditEntry): void {
    this.#inner.record(entry);
    this.#metrics.command({
      platform: entry.platform,
      command: entry.command,
      outcome: entry.outcome,
      durationMs: entry.durationMs,
    });
  }
}

export class MeteredKustoRunner implements KustoRunner {
  readonly #inner: KustoRunner;
  readonly #metrics: Metrics;
  readonly #now: () => number;
  constructor(inner: KustoRunner, metrics: Metrics, now: () => number = () => performance.now()) {
    this.#inner = inner;
    this.#metrics = metrics;
    this.#now = now;
  }
  get target(): KustoRunner["target"] {
    return this.#inner.target;
  }
  async run(request: KustoQueryRequest, options: { readonly deadlineMs: number }): Promise<KustoQueryResult> {
    const started = this.#now();
    const record = (outcome: string) =>
      this.#metrics.kustoQuery({ query: request.name, outcome, durationMs: this.#now() - started });
    try {
      const result = await this.#inner.run(request, options);
      record("ok");
      return result;
    } catch (error) {
      record(error instanceof KustoFailure ? error.kind : "failed");
      throw error;
    }
  }
}

export class MeteredPoster implements ChatPoster {
  readonly #inner: ChatPoster;
  readonly #metrics: Metrics;
  constructor(inner: ChatPoster, metrics: Metrics) {
    this.#inner = inner;
    this.#metrics = metrics;
  }
  async post(target: DeliveryTarget, post: DigestPost): Promise<{ readonly messageId: string }> {
    try {
      const posted = await this.#inner.post(target, post);
      this.#metrics.digestPost({ platform: target.platform, outcome: "posted" });
      return posted;
    } catch (error) {
      this.#metrics.digestPost({
        platform: target.platform,
        outcome: error instanceof PostFailure ? error.kind : "failed",
      });
      throw error;
    }
  }
}
