/**
 * A small data file (the JSON shape `--data` takes) with the troubleshooting guide's sample
 * server and a few scenario servers, timestamps relative to `now`.
 */

export const GUIDE_SERVER = "sgxtestuksouthsrv";
export const GUIDE_RING = "tr1850.uksouth1-a.worker.database.windows.net";

const MSG_37308 = "2021-01-04 22:28:48.26 Server Loaded SGX enclave for Always Encrypted.";
const MSG_403 =
  "2021-01-04 23:23:46.94 spid90 Error: 37324, Severity: 16, State: 57. 2021-01-04 23:23:46.94 spid90 Enclave attestation failed. Attestation service returned Error code: 'Forbidden'. Error message: 'Access to /attest/SgxEnclave is denied'. Attestation URL: 'https://sqlcloudtestsgxattest.us.attest.azure.net/attest/SgxEnclave?api-version=2018-09-01-preview'. Return code: '0x00000193'. Verify the attestation policy. If the policy is correct, contact Customer Support Services.";
const MSG_FILTERED =
  "2021-01-04 23:23:46.94 spid90 Error: 37324, Severity: 16, State: 57. 2021-01-04 23:23:46.94 spid90 [Filtered Args] Enclave attestation failed. Attestation service returned Error code: '%1'. Error message: '%2'. Attestation URL: '%3'. Return code: '0x%4'. Verify the attestation policy. If the policy is correct, contact Customer Support Services.";
const MSG_2EE7 =
  "2021-01-05 00:48:31.30 spid73 Error: 37303, Severity: 16, State: 21. 2021-01-05 00:48:31.30 spid73 Internal error occurred while obtaining an authentication token for an attestation service. Authentication method: HttpConnectAndSendRequest, status: 0x00002ee7";

const MIN = 60_000;

export function scenarioData(now: number): Record<string, Record<string, unknown>[]> {
  const at = (minutesAgo: number) => new Date(now - minutesAgo * MIN).toISOString();
  const health = (
    server: string,
    minutesAgo: number,
    node: string,
    errorId: number,
    message: string,
    ring: string,
    extra: Record<string, unknown> = {},
  ) => ({
    TIMESTAMP: at(minutesAgo),
    PreciseTimeStamp: at(minutesAgo),
    ClusterName: ring,
    NodeName: node,
    AppName: "db6df7be41cd",
    AppTypeName: "Worker.CL",
    LogicalServerName: server,
    logical_database_guid: "79967fe5-dcfe-46a7-a9a0-4c3b0e7d6a10",
    logical_database_name: "contosoDB",
    error_id: errorId,
    severity: 16,
    state: 57,
    message,
    ...extra,
  });
  return {
    MonSQLSystemHealth: [
      health(GUIDE_SERVER, 10, "DB.23", 37308, MSG_37308, GUIDE_RING),
      health(GUIDE_SERVER, 20, "DB.23", 37324, MSG_403, GUIDE_RING),
      health(GUIDE_SERVER, 40, "DB.24", 37324, MSG_403, GUIDE_RING),
      health(GUIDE_SERVER, 60, "DB.23", 37324, MSG_FILTERED, GUIDE_RING),
      health(GUIDE_SERVER, 120, "DB.24", 37303, MSG_2EE7, GUIDE_RING, { state: 21 }),
      health(GUIDE_SERVER, 300, "DB.23", 37324, MSG_403, GUIDE_RING),
      health(GUIDE_SERVER, 45, "DB.23", 18456, "Login failed for user 'app'.", GUIDE_RING),
      // Shares the guide server's prefix: `contains` matches it, the catalog's `=~` does not.
      health(`${GUIDE_SERVER}2`, 30, "DB.7", 37324, MSG_403, "tr9.uksouth1-a.worker.database.windows.net", {
        logical_database_guid: "0f2c4c1e-1111-4d2b-9c3e-2a5b6c7d8e9f",
      }),
      health("healthy-srv", 60, "DB.1", 37308, MSG_37308, "tr2000.eastus1-a.worker.database.windows.net"),
      health("wrongvm-srv", 60, "DB.2", 37308, MSG_37308, "tr3000.eastus1-a.worker.database.windows.net"),
      health("nodc-srv", 60, "DB.3", 37308, MSG_37308, "tr2000.eastus1-a.worker.database.windows.net"),
    ],
    MonAnalyticsDBSnapshot: [
      snapshot(at(30), GUIDE_SERVER, "contosoDB", "SQLDB_GP_DC_2", GUIDE_RING),
      snapshot(
        at(30),
        "healthy-srv",
        "appdb",
        "SQLDB_BC_DC_4",
        "tr2000.eastus1-a.worker.database.windows.net",
      ),
      snapshot(
        at(30),
        "wrongvm-srv",
        "appdb",
        "SQLDB_GP_DC_2",
        "tr3000.eastus1-a.worker.database.windows.net",
      ),
      snapshot(
        at(30),
        "nodc-srv",
        "appdb",
        "SQLDB_GP_Gen5_2",
        "tr2000.eastus1-a.worker.database.windows.net",
      ),
    ],
    MonTenantRingCapacity: [
      ring(at(90), GUIDE_RING, "lon22prdapp04", "SQLDCGen6_2"),
      ring(at(90), "tr2000.eastus1-a.worker.database.windows.net", "bl2prdapp01", "SQLDCGen6_2"),
      ring(at(90), "tr3000.eastus1-a.worker.database.windows.net", "bl2prdapp02", "SQLGen5_8"),
    ],
  };
}

function snapshot(ts: string, server: string, db: string, slo: string, ring: string) {
  return {
    TIMESTAMP: ts,
    logical_server_name: server,
    logical_database_name: db,
    logical_database_id: `${server}-${db}`,
    state: "Ready",
    parent_state: "Ready",
    sql_instance_name: "d8c6bc69faef",
    logical_database_type: "SterlingLogicalDatabase",
    database_type: "SQLUserDb",
    service_level_objective: slo,
    edition: "GeneralPurpose",
    tenant_ring_name: ring,
  };
}

function ring(ts: string, name: string, cluster: string, vmSize: string) {
  return {
    TIMESTAMP: ts,
    tenant_ring_name: name,
    azure_cluster: cluster,
    vm_size: vmSize,
    nodes: 25,
    region: "uksouth",
  };
}
