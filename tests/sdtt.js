// structured-data-testing-tool's Google, Twitter and Facebook presets on each HTML file named on the
// command line; prints, as JSON, each file's failed tests and warnings, with the schemas it found.
// Run by tests/test_structured_data.py from the repository (node_modules: `npm ci`).
"use strict";
const fs = require("fs");
const { structuredDataTest } = require("structured-data-testing-tool");
const { Google, Twitter, Facebook } = require("structured-data-testing-tool/presets");

function brief(test) {
  return { test: test.test, group: test.group, description: test.description,
           error: test.error ? String(test.error.message || test.error) : null };
}

async function main() {
  const results = {};
  for (const file of process.argv.slice(2)) {
    let result;
    try {
      result = await structuredDataTest(fs.readFileSync(file), { presets: [Google, Twitter, Facebook] });
    } catch (error) {
      if (error.type !== "VALIDATION_FAILED") throw error;
      result = error.res;
    }
    results[file] = { passed: result.passed.length, failed: result.failed.map(brief),
                      warnings: result.warnings.map(brief), schemas: result.schemas };
  }
  process.stdout.write(JSON.stringify(results));
}

main().catch((error) => { console.error(error); process.exit(1); });
