/// <reference types="node" />
// src/api.gen.ts is generated from the committed openapi.yaml (itself generated from the Rust
// types), so a field renamed in Rust breaks the type-check wherever the app still uses the old
// name. This fails when the generated file is not current; `make openapi` writes it again
// (it runs this test with UPDATE_OPENAPI=1).
import { readFile, writeFile } from "node:fs/promises";
import openapiTS, { astToString } from "openapi-typescript";
import { expect, it } from "vitest";

const SPEC = new URL("../../openapi.yaml", import.meta.url);
const GENERATED = new URL("./api.gen.ts", import.meta.url);
const HEADER = "// Generated from openapi.yaml by `make openapi`; do not edit by hand.\n\n";

it("src/api.gen.ts is what openapi.yaml generates", async () => {
  const generated = HEADER + astToString(await openapiTS(await readFile(SPEC, "utf8")));
  if (process.env.UPDATE_OPENAPI) await writeFile(GENERATED, generated);
  const committed = await readFile(GENERATED, "utf8");
  expect(committed === generated, "src/api.gen.ts is stale: run `make openapi` and commit the result").toBe(true);
});
