/**
 * The Kusto schema the bot reads, in one place. It feeds the embedded engine (column types,
 * row validation) and the official parser's semantic analysis (so a query against a column
 * that does not exist fails as KS142, exactly as on a real cluster).
 */

export const KQL_SCALAR_TYPES = [
  "bool",
  "datetime",
  "dynamic",
  "guid",
  "int",
  "long",
  "real",
  "string",
  "timespan",
  "decimal",
] as const;
export type KqlScalarType = (typeof KQL_SCALAR_TYPES)[number];

export interface ColumnSchema {
  readonly name: string;
  readonly type: KqlScalarType;
}

export interface TableSchema {
  readonly name: string;
  readonly docString: string;
  readonly columns: readonly ColumnSchema[];
}

export interface DatabaseSchema {
  readonly name: string;
  readonly tables: readonly TableSchema[];
}

const col = (name: string, type: KqlScalarType): ColumnSchema => ({ name, type });

/** SQL engine errorlog events (error_id is the SQL error number; message is the errorlog line). */
export const MonSQLSystemHealth: TableSchema = {
  name: "MonSQLSystemHealth",
  docString:
    "SQL errorlog events per node: attestation failures (37324, 37303, 37325, 37309), enclave loads (37308).",
  columns: [
    col("TIMESTAMP", "datetime"),
    col("PreciseTimeStamp", "datetime"),
    col("ClusterName", "string"),
    col("NodeName", "string"),
    col("AppName", "string"),
    col("AppTypeName", "string"),
    col("LogicalServerName", "string"),
    col("logical_database_guid", "string"),
    col("logical_database_name", "string"),
    col("error_id", "long"),
    col("severity", "long"),
    col("state", "long"),
    col("message", "string"),
  ],
};

/** Snapshot of logical databases ("sterling servers and databases" view): SLO per database. */
export const MonAnalyticsDBSnapshot: TableSchema = {
  name: "MonAnalyticsDBSnapshot",
  docString: "Logical database snapshot: state and service level objective (SLO) per database.",
  columns: [
    col("TIMESTAMP", "datetime"),
    col("logical_server_name", "string"),
    col("logical_database_name", "string"),
    col("logical_database_id", "string"),
    col("state", "string"),
    col("parent_state", "string"),
    col("sql_instance_name", "string"),
    col("logical_database_type", "string"),
    col("database_type", "string"),
    col("service_level_objective", "string"),
    col("edition", "string"),
    col("tenant_ring_name", "string"),
  ],
};

/**
 * Tenant ring capacity ("capacity management (database move)" view): the VM size of each ring.
 * Answers step 2 of the troubleshooting guide: an SGX database must sit on an SGX VM size.
 */
export const MonTenantRingCapacity: TableSchema = {
  name: "MonTenantRingCapacity",
  docString: "Tenant ring capacity: ring name, Azure cluster, VM size and node count.",
  columns: [
    col("TIMESTAMP", "datetime"),
    col("tenant_ring_name", "string"),
    col("azure_cluster", "string"),
    col("vm_size", "string"),
    col("nodes", "long"),
    col("region", "string"),
  ],
};

export const ATTEST_SCHEMA: DatabaseSchema = {
  name: "sqlazure1",
  tables: [MonSQLSystemHealth, MonAnalyticsDBSnapshot, MonTenantRingCapacity],
};

export function findTable(schema: DatabaseSchema, name: string): TableSchema | undefined {
  return schema.tables.find((t) => t.name === name);
}
