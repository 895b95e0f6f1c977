#!/usr/bin/env node
// Check APL documents with Amazon's apl-suggester: `node lint.js DOCUMENT.json...`.
//
// Prints one line per finding (`file: /path/in/document: message (LEVEL)`) and exits 1 when there
// is any: apl-suggester reports everything as a WARNING, and a warning here is a defect (a property
// the component does not have, a value of the wrong type, a size the renderer cannot work out).
// It runs offline: StaticAplTemplateValidator checks against the APL schema bundled in the package.
'use strict';

const fs = require('fs');
const path = require('path');
const { StaticAplTemplateValidator } = require('apl-suggester');

const print = (line) => process.stdout.write(`${line}\n`);
// The validator prints notes of its own ("No mixin for component ..."): keep them out of the report.
console.log = console.info = console.warn = console.error = console.debug = () => {};

async function lint(file) {
  let document;
  try {
    document = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    return [`${file}: cannot be read as JSON (${error.message})`];
  }
  const results = await new StaticAplTemplateValidator().validate(document);
  return results.map((r) => `${file}: ${r.path || '/'}: ${r.errorMessage} (${r.level})`);
}

async function main(files) {
  if (files.length === 0) {
    process.stderr.write('usage: node lint.js DOCUMENT.json...\n');
    return 2;
  }
  let findings = 0;
  for (const file of files) {
    const lines = await lint(file);
    lines.forEach(print);
    findings += lines.length;
  }
  const checked = `${files.length} APL document${files.length === 1 ? '' : 's'}`;
  print(findings ? `${checked} checked: ${findings} finding${findings === 1 ? '' : 's'}` : `${checked} checked: no findings`);
  return findings ? 1 : 0;
}

function shown(file) {
  const relative = path.relative(process.cwd(), path.resolve(file));
  return relative && !relative.startsWith('..') ? relative : path.resolve(file);
}

main(process.argv.slice(2).map(shown)).then(
  (code) => process.exit(code),
  (error) => { process.stderr.write(`${error.stack || error}\n`); process.exit(2); });
