// Turn the services' OpenAPI documents into TypeScript types (src/lib/api-types/<service>.ts).
//
//   uv run python web/scripts/dump_openapi.py | node web/scripts/generate-api-types.mjs          # write
//   uv run python web/scripts/dump_openapi.py | node web/scripts/generate-api-types.mjs --check  # exit 1 when stale
//
// The input is one JSON object {records, auth, passport} of OpenAPI documents (see
// dump_openapi.py). `make web-types` runs the first line; a test runs the second.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";

const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, "..", "src", "lib", "api-types");
const check = process.argv.includes("--check");
const SERVICES = ["records", "auth", "passport"];

// Read stdin as a stream: readFileSync(0) fails with EAGAIN on a pipe that is not ready yet.
let raw = "";
for await (const chunk of process.stdin) raw += chunk;
const input = JSON.parse(raw);
let stale = [];
mkdirSync(outDir, { recursive: true });
for (const name of SERVICES) {
  const schema = input[name];
  if (!schema) {
    console.error(`${name}: no OpenAPI document (service not installed?)`);
    stale.push(name);
    continue;
  }
  const ast = await openapiTS(schema, { exportType: true, alphabetize: true });
  const text =
    `// Generated from the ${name} service's OpenAPI document by web/scripts/generate-api-types.mjs.\n` +
    `// Do not edit: run \`make web-types\`.\n\n` +
    astToString(ast);
  const path = join(outDir, `${name}.ts`);
  let current = null;
  try {
    current = readFileSync(path, "utf8");
  } catch {
    current = null;
  }
  if (check) {
    if (current !== text) stale.push(name);
  } else if (current !== text) {
    writeFileSync(path, text);
    console.log(`wrote ${path}`);
  }
}
if (stale.length) {
  console.error(`API types are stale or missing for: ${stale.join(", ")}; run \`make web-types\``);
  process.exit(1);
}
if (check) console.log("API types are up to date");
