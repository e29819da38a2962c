import { describe, expect, it } from "vitest";
import { parsePolicy } from "../../../src/domain/policy/parser.js";
import { fixture } from "./helpers.js";

describe("parsePolicy: policies that MAA accepts", () => {
  it.each([
    ["recommended policy as copied from the docs (seed 002)", "recommended-docs.txt"],
    ["troubleshooting guide sample with svn >= 0 (seed 000)", "sample-svn0.txt"],
    ["MAA's default SGX policy", "default-sgx.txt"],
  ])("%s", (_name, file) => {
    const r = parsePolicy(fixture(file));
    expect(r.ok).toBe(true);
  });

  it("reads the recommended policy's four conditions and permit action", () => {
    const r = parsePolicy(fixture("recommended-docs.txt"));
    if (!r.ok) throw new Error(r.error.message);
    expect(r.policy.version).toBe("1.0");
    expect(r.policy.implicitAuthorization).toBe(true);
    const rule = r.policy.sections[0]?.rules[0];
    expect(rule?.action.name).toBe("permit");
    expect(rule?.conditions.map((c) => c.properties.map((p) => `${p.property}${p.operator}`))).toEqual([
      ["type==", "value=="],
      ["type==", "value=="],
      ["type==", "value>="],
      ["type==", "value=="],
    ]);
    expect(rule?.conditions[2]?.properties[1]?.value).toEqual({ kind: "number", value: 2, text: "2" });
    expect(rule?.conditions[0]?.properties[1]?.value).toEqual({ kind: "bool", value: false });
  });

  it("reads the default policy's issuance rules with bindings and c.value", () => {
    const r = parsePolicy(fixture("default-sgx.txt"));
    if (!r.ok) throw new Error(r.error.message);
    expect(r.policy.sections.map((s) => s.kind)).toEqual(["authorizationrules", "issuancerules"]);
    expect(r.policy.sections[0]?.rules[0]?.conditions).toEqual([]);
    const issue = r.policy.sections[1]?.rules[0];
    expect(issue?.conditions[0]?.binding).toBe("c");
    expect(issue?.action).toMatchObject({
      name: "issue",
      args: [
        { name: "type", value: { kind: "string", value: "is-debuggable" } },
        { name: "value", value: { kind: "ref", binding: "c", property: "value" } },
      ],
    });
  });

  it.each([
    [
      "version 1.2 with configurationrules, comments, issueproperty, issue(claim=c) and every operator",
      `version=1.2; // trailing comment
/* block
   comment */
configurationrules { => issueproperty(type="require_valid_aik_cert", value=false); };
authorizationrules {
  c:[type=="x-ms-sgx-svn", issuer=="AttestationService", value>=2] && [type=="x-ms-sgx-svn", value<=c.value] => permit();
  [type=="a", value!="b"] && [type=="n", value<-1] && [type=="n", value>0] && [type=="t", valueType=="Integer"] => deny();
};
issuancerules { c:[type=="x"] => issue(claim=c); };`,
      ["configurationrules", "authorizationrules", "issuancerules"],
    ],
    ["version 1.1, only issuance rules", "version=1.1;\nissuancerules\n{\n};", ["issuancerules"]],
    ["version written as 1", "version=1; authorizationrules { => permit(); };", ["authorizationrules"]],
  ])("%s", (_name, text, sections) => {
    const r = parsePolicy(text);
    if (!r.ok) throw new Error(`${r.error.line}:${r.error.column} ${r.error.message}`);
    expect(r.policy.sections.map((s) => s.kind)).toEqual(sections);
  });
});

describe("parsePolicy: errors with line, column and what was expected", () => {
  it.each([
    // The example of seed 001: the version line without ';'.
    [
      "missing ';' after the version (seed 001)",
      fixture("missing-semicolon.txt"),
      2,
      1,
      "mismatched input '[' expecting ';'",
    ],
    [
      "missing ';' after the version, before authorizationrules",
      "version= 1.0\nauthorizationrules { => permit(); };",
      2,
      1,
      "mismatched input 'authorizationrules' expecting ';'",
    ],
    [
      "missing ';' after permit()",
      "version=1.0;\nauthorizationrules\n{\n  => permit()\n};",
      5,
      1,
      "mismatched input '}' expecting ';'",
    ],
    [
      "missing ';' after a section's '}'",
      "version=1.0;\nauthorizationrules { => permit(); }\nissuancerules { };",
      3,
      1,
      "mismatched input 'issuancerules' expecting ';'",
    ],
    [
      "'=' instead of '==' in a condition",
      'version=1.0;\nauthorizationrules {\n  c:[type="secureBootEnabled"] => permit();\n};',
      3,
      10,
      "expecting '=='",
    ],
    [
      "unterminated string",
      'version=1.0;\nauthorizationrules {\n  [type=="x-ms-sgx-svn, value>=2] => permit();\n};',
      3,
      10,
      "unterminated string",
    ],
    [
      "unknown claim property",
      'version=1.0;\nauthorizationrules {\n  [kind=="x"] => permit();\n};',
      3,
      4,
      "unknown claim property 'kind'",
    ],
    [
      "unknown action",
      "version=1.0;\nauthorizationrules {\n  => allow();\n};",
      3,
      6,
      "unknown action 'allow'",
    ],
    [
      "permit with arguments",
      "version=1.0;\nauthorizationrules { => permit(1); };",
      2,
      25,
      "permit() takes no arguments",
    ],
    [
      "missing ']'",
      'version=1.0;\nauthorizationrules { [type=="x" => permit(); };',
      2,
      33,
      "expecting {',', ']'}",
    ],
    [
      "missing '=>'",
      'version=1.0;\nauthorizationrules { [type=="x"] permit(); };',
      2,
      34,
      "expecting {'&&', '=>'}",
    ],
    ["unsupported version", "version=2.0;", 1, 9, "unsupported policy version '2.0'"],
    [
      "configurationrules in version 1.0",
      "version=1.0;\nconfigurationrules { };",
      2,
      1,
      "configurationrules needs policy version 1.1 or later",
    ],
    [
      "sections out of order",
      "version=1.0;\nissuancerules { };\nauthorizationrules { };",
      3,
      1,
      "mismatched input 'authorizationrules' expecting <EOF>",
    ],
    [
      "no version line",
      "authorizationrules { => permit(); };",
      1,
      1,
      "mismatched input 'authorizationrules' expecting 'version'",
    ],
    ["empty policy", "", 1, 1, "mismatched input <EOF> expecting 'version'"],
    [
      "unclosed section",
      "version=1.0;\nauthorizationrules {\n => permit();\n",
      4,
      1,
      "mismatched input <EOF>",
    ],
    ["stray character", "version=1.0;\nauthorizationrules { @ };", 2, 22, "token recognition error at: '@'"],
    ["unterminated block comment", "version=1.0; /* no end", 1, 14, "unterminated comment"],
  ])("%s", (_name, text, line, column, message) => {
    const r = parsePolicy(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect({ line: r.error.line, column: r.error.column }).toEqual({ line, column });
    expect(r.error.message).toContain(message);
  });

  it("names the grammar rule that failed, as MAA's 'Failing rule' does", () => {
    const r = parsePolicy(fixture("missing-semicolon.txt"));
    expect(r.ok ? null : r.error.message).toBe(
      "mismatched input '[' expecting ';' (in policy > versionInfo)",
    );
  });
});
