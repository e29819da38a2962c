/** A small fleet in the shape of the demo data: every category, new and recurring servers, a cleared one. */
import type { FleetSummaryRow } from "../../../src/domain/digest/types.js";
import { row } from "./fixtures.js";

const RBAC = "Enclave attestation failed. ... Return code: '0x00000193'. Verify the attestation policy.";
const MAA = "Enclave attestation failed. ... Return code: '0x000001f4'.";
const ENCLAVE = "SGX enclave not loaded: enclave not loaded";
const OTHER = "Attestation failed with an unknown status: 0x0000ffff";

export const DEMO_ROWS: readonly FleetSummaryRow[] = [
  row("sgxtestuksouthsrv", 0, 42, RBAC),
  row("sgxtestuksouthsrv", 1, 30, RBAC),
  row("sgxtestuksouthsrv", 2, 12, RBAC),
  row("contoso-prod-sql", 0, 7, MAA),
  row("contoso-prod-sql", 0, 3, RBAC),
  row("fabrikam-dc-eu", 0, 2, ENCLAVE),
  row("northwind-sgx", 0, 1, OTHER),
  row("northwind-sgx", 1, 6, OTHER),
  row("northwind-sgx", 4, 2, OTHER),
  row("tailspin-sql", 1, 9, RBAC),
];
