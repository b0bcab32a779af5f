/**
 * The Dedupe node's description: what the editor shows (parameters, options, notices) and its two outputs.
 * Laid out as n8n's own nodes are: the description beside the node, the node file holds the class.
 */
import { NodeConnectionTypes, type INodeTypeDescription, type NodeConnectionType } from 'n8n-workflow';

import { DEFAULT_MAX_KEYS, DEFAULT_STORE_OUTAGE_WAIT_SECONDS } from '../core/dedupe';

const timeUnits = [
	{ name: 'Seconds', value: 'seconds' },
	{ name: 'Minutes', value: 'minutes' },
	{ name: 'Hours', value: 'hours' },
	{ name: 'Days', value: 'days' },
];

/** Named constants: the older lint rule on inputs/outputs predates NodeConnectionTypes and multi-output nodes. */
const MAIN_INPUT: NodeConnectionType[] = [NodeConnectionTypes.Main];
/** Output 0 = New, output 1 = Duplicate. */
const NEW_AND_DUPLICATE: NodeConnectionType[] = [NodeConnectionTypes.Main, NodeConnectionTypes.Main];

/** The node type description n8n reads (`Dedupe.description`). */
export const dedupeDescription: INodeTypeDescription = {
	displayName: 'Dedupe',
	name: 'dedupe',
	icon: { light: 'file:dedupe.svg', dark: 'file:dedupe.dark.svg' },
	group: ['transform'],
	version: 1,
	subtitle: '={{ {checkAndRecord: "Check and record", claim: "Claim", confirm: "Confirm", release: "Release"}[$parameter["operation"]] + ($parameter["store"] === "redis" ? " (Redis)" : "") }}',
	description: 'Let the first delivery of each key through and route repeats elsewhere, atomically, within a time window',
	defaults: { name: 'Dedupe' },
	usableAsTool: true,
	inputs: MAIN_INPUT,
	outputs: NEW_AND_DUPLICATE,
	outputNames: ['New', 'Duplicate'],
	credentials: [
		{
			name: 'dedupeRedisApi',
			required: true,
			testedBy: 'dedupeRedisConnectionTest',
			displayOptions: { show: { store: ['redis'] } },
		},
	],
	properties: [
		{
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			options: [
				{
					name: 'Check and Record',
					value: 'checkAndRecord',
					description: 'The first sighting of a key goes to New and is recorded for the window; repeats go to Duplicate',
					action: 'Check and record a key',
				},
				{
					name: 'Claim',
					value: 'claim',
					description: 'Hold the key with a short lease while the flow works; a second claim within the lease is a Duplicate (in progress)',
					action: 'Claim a key with a lease',
				},
				{
					name: 'Confirm',
					value: 'confirm',
					description: 'Turn a claim into a record for the full window, after the work succeeded',
					action: 'Confirm a claimed key',
				},
				{
					name: 'Release',
					value: 'release',
					description: 'Forget a claimed key (holder only) so that the sender\'s next redelivery is processed',
					action: 'Release a claimed key',
				},
			],
			default: 'checkAndRecord',
		},
		{
			displayName: 'Store',
			name: 'store',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Built-In', value: 'builtIn', description: 'Zero set-up: kept in this n8n instance (one process, regular mode)' },
				{ name: 'Redis', value: 'redis', description: 'For queue mode and several n8n instances' },
			],
			default: 'builtIn',
		},
		{
			displayName:
				'Keys live in this n8n process and are saved with the workflow, so they survive a restart. At most "Max Keys" per scope (oldest dropped first). Not for queue mode (the node refuses to run there) or several n8n instances: use Redis.',
			name: 'builtInNotice',
			type: 'notice',
			default: '',
			displayOptions: { show: { store: ['builtIn'] } },
		},
		{
			displayName: 'Key From',
			name: 'keySource',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Expression', value: 'expression', description: 'A value such as the delivery ID' },
				{ name: 'Hash of Chosen Fields', value: 'fields', description: 'SHA-256 of the named fields, regardless of key order' },
				{ name: 'Hash of the Whole Item', value: 'item', description: 'SHA-256 of the item\'s JSON, regardless of key order' },
			],
			default: 'expression',
			displayOptions: { show: { operation: ['checkAndRecord', 'claim'] } },
		},
		{
			displayName: 'Key',
			name: 'key',
			type: 'string',
			default: '={{ $json.verification.deliveryId }}',
			description: 'The value that identifies a delivery. The default is the delivery ID the Signed Webhook Trigger puts out.',
			displayOptions: { show: { keySource: ['expression'], operation: ['checkAndRecord', 'claim'] } },
		},
		{
			displayName: 'Key',
			name: 'key',
			type: 'string',
			default: '={{ $json.dedupe.key }}',
			description: 'The key that was claimed (the Claim operation puts it out in dedupe.key)',
			displayOptions: { show: { operation: ['confirm', 'release'] } },
		},
		{
			displayName: 'Fields to Hash',
			name: 'fields',
			type: 'string',
			default: '',
			placeholder: 'e.g. body.ID, body.type',
			description: 'Comma-separated field names; dot paths reach into nested objects',
			displayOptions: { show: { keySource: ['fields'], operation: ['checkAndRecord', 'claim'] } },
		},
		{
			displayName: 'Claim Token',
			name: 'claimToken',
			type: 'string',
			typeOptions: { password: true },
			default: '={{ $json.dedupe.claimToken }}',
			description: 'The token the Claim operation put out; only its holder may confirm or release the key',
			displayOptions: { show: { operation: ['confirm', 'release'] } },
		},
		{
			displayName: 'Window',
			name: 'window',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 24,
			description: 'How long a recorded key counts as seen',
			displayOptions: { show: { operation: ['checkAndRecord', 'confirm'] } },
		},
		{
			displayName: 'Window Unit',
			name: 'windowUnit',
			type: 'options',
			options: timeUnits,
			default: 'hours',
			displayOptions: { show: { operation: ['checkAndRecord', 'confirm'] } },
		},
		{
			displayName: 'Lease',
			name: 'lease',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 5,
			description: 'How long a claim holds the key before another delivery may claim it; longer than the work takes',
			displayOptions: { show: { operation: ['claim'] } },
		},
		{
			displayName: 'Lease Unit',
			name: 'leaseUnit',
			type: 'options',
			options: timeUnits,
			default: 'minutes',
			displayOptions: { show: { operation: ['claim'] } },
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'This Node', value: 'node' },
				{ name: 'This Workflow', value: 'workflow', description: 'Shared by every Dedupe node of the workflow that uses this scope' },
				{ name: 'Named Namespace', value: 'namespace', description: 'Shared by every workflow that uses the same name' },
			],
			default: 'node',
		},
		{
			displayName: 'Namespace',
			name: 'namespace',
			type: 'string',
			noDataExpression: true,
			required: true,
			default: '',
			placeholder: 'e.g. stripe-events',
			displayOptions: { show: { scope: ['namespace'] } },
		},
		{
			displayName: 'Max Keys',
			name: 'maxKeys',
			type: 'number',
			noDataExpression: true,
			typeOptions: { minValue: 1 },
			default: DEFAULT_MAX_KEYS,
			description: 'Most keys the built-in store keeps for this scope; the oldest are dropped first beyond it',
			displayOptions: { show: { store: ['builtIn'] } },
		},
		{
			displayName: 'Item Without a Key',
			name: 'onMissingKey',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Fail the Item', value: 'error' },
				{ name: 'Pass It as New', value: 'passAsNew', description: 'Goes to New, marked with status "noKey"' },
			],
			default: 'error',
		},
		{
			displayName: 'When the Store Is Unreachable',
			name: 'onStoreError',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Fail the Items (Fail Closed)', value: 'fail' },
				{ name: 'Pass Them as New (Fail Open)', value: 'passAsNew', description: 'Marked with status "failOpen" and the error' },
			],
			default: 'fail',
			displayOptions: { show: { store: ['redis'] } },
		},
		{
			displayName:
				'Fail open weakens the guarantee: while the store is unreachable, repeated deliveries are passed on as new. Each such item carries dedupe.status "failOpen" and the error.',
			name: 'failOpenNotice',
			type: 'notice',
			default: '',
			displayOptions: { show: { store: ['redis'], onStoreError: ['passAsNew'] } },
		},
		{
			displayName: 'Wait for an Unreachable Store (Seconds)',
			name: 'storeOutageWait',
			type: 'number',
			noDataExpression: true,
			typeOptions: { minValue: 0 },
			default: DEFAULT_STORE_OUTAGE_WAIT_SECONDS,
			description:
				'How long Confirm or Release keeps trying while Redis is unreachable before the items fail. Failing here, after the work was done, is what lets the sender\'s retry run the work again once the lease lapses; 0 fails at once.',
			displayOptions: { show: { store: ['redis'], operation: ['confirm', 'release'] } },
		},
		{
			displayName: 'Put Result In Field',
			name: 'infoField',
			type: 'string',
			noDataExpression: true,
			default: 'dedupe',
			description: 'Output items get this field with the key, the status and when the key was first seen',
		},
	],
};
