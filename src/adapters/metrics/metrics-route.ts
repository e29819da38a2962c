/** `GET /metrics`: the Prometheus text exposition. */
import type { Route } from "../../http/server.js";
import type { PrometheusMetrics } from "./prometheus-metrics.js";

export function metricsRoute(metrics: PrometheusMetrics): Route {
  return {
    method: "GET",
    path: "/metrics",
    async handle(_req, res) {
      const text = await metrics.text();
      res.writeHead(200, {
        "content-type": metrics.contentType,
        "content-length": Buffer.byteLength(text),
      });
      res.end(text);
    },
  };
}
