/**
 * Every shipped example (examples/*.json) as n8n would import it: each parameter of this package's nodes is one the
 * node declares (a renamed parameter would be silently dropped on import), and every wait the Reliable HTTP Forward
 * hands to a Wait loop is one n8n keeps in its database: n8n's Wait node holds a wait under 65 s in memory, where a
 * restart loses it, so *Hand Over Waits Longer Than* and a scheduling circuit's *Open For* are at least 65 s.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { INodeProperties } from 'n8n-workflow';

import { dedupeDescription } from '../../../nodes/Dedupe/description';
import { reliableHttpForwardProperties } from '../../../nodes/ReliableHttpForward/description';
import { triggerProperties } from '../../../nodes/SignedWebhookTrigger/description';

const EXAMPLES = path.join(__dirname, '..', '..', '..', 'examples');
const PROPERTIES: Record<string, INodeProperties[]> = {
	'n8n-nodes-reliable-webhooks.signedWebhookTrigger': triggerProperties,
	'n8n-nodes-reliable-webhooks.dedupe': dedupeDescription.properties,
	'n8n-nodes-reliable-webhooks.reliableHttpForward': reliableHttpForwardProperties,
};
/** n8n's Wait node keeps a wait shorter than this in memory (its in-process timer path), not in its database. */
const WAIT_NODE_PERSISTS_FROM_SECONDS = 65;

interface ExampleNode {
	name: string;
	type: string;
	parameters: Record<string, unknown>;
}

const examples = fs
	.readdirSync(EXAMPLES)
	.filter((file) => file.endsWith('.json'))
	.map((file) => ({ file, nodes: (JSON.parse(fs.readFileSync(path.join(EXAMPLES, file), 'utf8')) as { nodes: ExampleNode[] }).nodes }));

/** The names a collection parameter (`options`, `circuitOptions`, ...) declares for its values. */
function optionNames(property: INodeProperties): Set<string> {
	return new Set(((property.options ?? []) as Array<{ name: string }>).map((option) => option.name));
}

describe('shipped examples', () => {
	it('there are examples to check', () => {
		expect(examples.length).toBeGreaterThanOrEqual(7);
	});

	it.each(examples.map((e) => [e.file, e] as const))('%s: every parameter of our nodes is one the node declares', (_file, example) => {
		const unknown: string[] = [];
		for (const node of example.nodes) {
			const properties = PROPERTIES[node.type];
			if (!properties) continue;
			const byName = new Map(properties.map((property) => [property.name, property]));
			for (const [name, value] of Object.entries(node.parameters)) {
				const property = byName.get(name);
				if (!property) {
					unknown.push(`${node.name}: ${name}`);
					continue;
				}
				if (property.type === 'collection' && value && typeof value === 'object') {
					const declared = optionNames(property);
					for (const key of Object.keys(value)) if (!declared.has(key)) unknown.push(`${node.name}: ${name}.${key}`);
				}
			}
		}
		expect(unknown).toEqual([]);
	});

	it.each(examples.map((e) => [e.file, e] as const))('%s: every hand-over to a Wait loop is long enough for n8n to keep it in its database', (_file, example) => {
		const short: string[] = [];
		for (const node of example.nodes.filter((n) => n.type === 'n8n-nodes-reliable-webhooks.reliableHttpForward')) {
			const options = (node.parameters.options ?? {}) as Record<string, unknown>;
			const handOver = Number(options.handOverAfterSeconds ?? 120);
			if (handOver < WAIT_NODE_PERSISTS_FROM_SECONDS) short.push(`${node.name}: handOverAfterSeconds ${handOver}`);
			const circuit = (node.parameters.circuitOptions ?? {}) as Record<string, unknown>;
			if (node.parameters.circuitBreaker === true && (circuit.whenOpen ?? 'schedule') === 'schedule') {
				const open = Number(circuit.openSeconds ?? 30);
				if (open < WAIT_NODE_PERSISTS_FROM_SECONDS) short.push(`${node.name}: openSeconds ${open}`);
			}
		}
		expect(short).toEqual([]);
	});
});
