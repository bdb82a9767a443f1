#!/usr/bin/env node
// Records how long each test file took in one whole run, for the longest-first order (longest-first.ts):
//   npx vitest run --reporter=json --outputFile=/tmp/vitest.json && node test/support/record-test-durations.mjs /tmp/vitest.json
// Durations are rounded to the second: only their order matters, and it should not churn between runs.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const report = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8'));
const root = path.resolve(import.meta.dirname, '..', '..');
const durations = Object.fromEntries(
  report.testResults
    .map((file) => [
      path.relative(root, file.name).split(path.sep).join('/'),
      Math.round((file.endTime - file.startTime) / 1000) * 1000,
    ])
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])),
);
writeFileSync(
  path.join(import.meta.dirname, 'test-durations.json'),
  `${JSON.stringify(durations, null, 2)}\n`,
);
