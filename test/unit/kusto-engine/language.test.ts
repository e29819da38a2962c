import { describe, expect, it } from "vitest";
import { analyse } from "../../../src/kusto-engine/language.js";
import { ATTEST_SCHEMA } from "../../../src/kusto-engine/schema.js";

describe("official parser against our schema", () => {
  it("accepts the troubleshooting guide's enclave load query", () => {
    const q = `MonSQLSystemHealth
| where LogicalServerName contains "sgxtestuksouthsrv"
| where NodeName contains "DB.23"
| where error_id == 37308
| where TIMESTAMP > ago(30m)
| project TIMESTAMP, NodeName, AppName, error_id, message
| order by TIMESTAMP desc`;
    expect(analyse(q, ATTEST_SCHEMA).diagnostics).toEqual([]);
  });

  it("rejects an unknown column as KS142 and an unknown table as KS204", () => {
    expect(analyse("MonSQLSystemHealth | where Foo == 1", ATTEST_SCHEMA).diagnostics[0]?.code).toBe("KS142");
    expect(analyse("Nope | take 1", ATTEST_SCHEMA).diagnostics[0]?.code).toBe("KS204");
  });
});
