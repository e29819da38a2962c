/**
 * What `check` learned from Kusto, handed to the rules. Each telemetry field is null when that
 * question could not be answered (query failed or not asked), and an empty array when it was
 * answered with no rows: rules must tell the two apart (a missing answer is never "healthy").
 */
import type { ParsedMessage } from "./parse-message.js";
import type { RuleMeta } from "./types.js";

/** One MonSQLSystemHealth row. */
export interface HealthEvent {
  /** ISO-8601 UTC. */
  readonly timestamp: string;
  readonly nodeName: string;
  readonly appName: string;
  readonly clusterName: string;
  readonly databaseGuid: string;
  readonly errorId: number;
  /** The errorlog line as logged, e.g. "2021-01-04 23:23:46.94 spid90 Error: 37324, Severity: 16, ...". */
  readonly message: string;
  /**
   * Rows this one stands for, when the query summarised (enclave-events: rows per node and error
   * id, this being the latest); absent = one row.
   */
  readonly count?: number;
}

/**
 * One class of attestation failures over the whole window (not capped): the rows with one error
 * id and return code, counted by the query. Classified from its sample message.
 */
export interface FailureClass {
  readonly errorId: number;
  /** Return code / status as logged (e.g. "0x00000193"); null when the message has none. */
  readonly code: string | null;
  readonly count: number;
  /** ISO-8601 UTC. */
  readonly firstSeen: string;
  /** ISO-8601 UTC. */
  readonly lastSeen: string;
  /** Distinct nodes that logged this class. */
  readonly nodes: number;
  /** One message of the class, as logged. */
  readonly sample: string;
}

export interface DatabaseFact {
  readonly name: string;
  readonly id: string;
  readonly state: string;
  readonly slo: string;
  /** Snapshot row time (ISO-8601 UTC), when known: the latest row of a name is the current database. */
  readonly timestamp?: string;
  /** The tenant ring the snapshot places the database on (tenant_ring_name); absent/empty = not known. */
  readonly ringName?: string;
}

export interface PlacementFact {
  readonly clusterName: string;
  readonly ringName: string;
  /** null when the ring is not in the capacity table. */
  readonly vmSize: string | null;
}

/** A node that logged for the server in the window. */
export interface NodeFact {
  readonly clusterName: string;
  readonly nodeName: string;
}

export interface TimeWindow {
  /** ISO-8601 UTC, inclusive. */
  readonly from: string;
  /** ISO-8601 UTC. */
  readonly to: string;
}

export interface CheckFacts {
  readonly server: string;
  /** Set when the user named one database. */
  readonly database: string | null;
  /** Window of the attestation failure query. */
  readonly window: TimeWindow;
  /** Window of the enclave load query (longer: loads happen at start-up). */
  readonly loadWindow: TimeWindow;
  /** Attestation failures (37324, 37303, 37325, 37309) in `window`. */
  readonly attestationEvents: readonly HealthEvent[] | null;
  /** True when the failure query hit its row cap (there may be more). */
  readonly attestationTruncated: boolean;
  /**
   * Every failure class in `window`, uncapped (counts, first/last seen, nodes): findings take their
   * numbers from here and `attestationEvents` is only the evidence. Absent/null = not available
   * (then the numbers come from the rows).
   */
  readonly attestationClasses?: readonly FailureClass[] | null;
  /** Enclave load events (37308, and load failures) in `loadWindow`. */
  readonly enclaveEvents: readonly HealthEvent[] | null;
  /** Databases of the server (or the one named) with their SLO. */
  readonly databases: readonly DatabaseFact[] | null;
  /** Clusters/rings the server's databases run on, with the ring VM size. */
  readonly placements: readonly PlacementFact[] | null;
  /**
   * The nodes that logged for the server in the failure window (step 4 checks the enclave load per
   * node). Absent/null = not known (then any 37308 of the server counts).
   */
  readonly windowNodes?: readonly NodeFact[] | null;
  /** True when the server sent any telemetry in the window (any error id); false = none at all; null = not asked. */
  readonly serverSeen: boolean | null;
  /** The attestation URL the user gave with --url, as typed. */
  readonly attestationUrl: string | null;
}

export interface DiagnoseOptions {
  /** VM sizes that support SGX enclaves (default ["SQLDCGen6_2"], from TSG step 2). */
  readonly sgxVmSizes: readonly string[];
  /**
   * The message rule matcher (default: the rule catalog's `classify`). Injected by tests that count
   * how often messages are classified; `diagnose` calls it once per distinct message and error id.
   */
  readonly classify?: (
    m: ParsedMessage,
    options: { readonly telemetry: boolean },
  ) => { readonly meta: RuleMeta };
}
