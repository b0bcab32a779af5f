/**
 * Runs the Dedupe node's execute() with n8n's own Workflow class holding the static data (the same
 * ObservableObject change tracking n8n uses), real stores, and a thin execute context for the rest.
 * The real-n8n runs are in test/e2e/dedupe.e2e.test.ts.
 */
import { NodeOperationError, Workflow, type IDataObject, type INode, type INodeExecutionData, type INodeType, type INodeTypes } from 'n8n-workflow';

type DedupeModule = typeof import('../../../nodes/Dedupe/Dedupe.node');

export type ParameterValue = unknown | ((item: INodeExecutionData, itemIndex: number) => unknown);

export interface Run {
	New: INodeExecutionData[];
	Duplicate: INodeExecutionData[];
}

export const defaults: Record<string, unknown> = {
	operation: 'checkAndRecord',
	store: 'builtIn',
	keySource: 'expression',
	key: (item: INodeExecutionData) => (item.json.verification as IDataObject | undefined)?.deliveryId,
	claimToken: (item: INodeExecutionData) => (item.json.dedupe as IDataObject | undefined)?.claimToken,
	fields: '',
	window: 24,
	windowUnit: 'hours',
	lease: 5,
	leaseUnit: 'minutes',
	scope: 'node',
	namespace: '',
	maxKeys: 10_000,
	onMissingKey: 'error',
	onStoreError: 'fail',
	infoField: 'dedupe',
};

export interface WorkflowHarness {
	workflow: Workflow;
	node: INode;
	/** What n8n would write to the database for this execution's static data (JSON text), if it changed. */
	savedStaticData(): string | undefined;
}

/** One execution: a fresh Workflow object loaded from `staticDataJson`, as n8n does for every webhook call. */
export function newExecution(options: { workflowId?: string; nodeId?: string; staticDataJson?: string; nodeModule?: DedupeModule } = {}): WorkflowHarness & { nodeType: INodeType } {
	const nodeModule: DedupeModule = options.nodeModule ?? require('../../../nodes/Dedupe/Dedupe.node');
	const nodeType = new nodeModule.Dedupe();
	const node: INode = {
		id: options.nodeId ?? 'node-1',
		name: 'Dedupe',
		type: 'n8n-nodes-reliable-webhooks.dedupe',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const nodeTypes: INodeTypes = {
		getByName: () => nodeType,
		getByNameAndVersion: () => nodeType,
		getKnownTypes: () => ({}),
	};
	const workflow = new Workflow({
		id: options.workflowId ?? 'wf-1',
		nodes: [node],
		connections: {},
		active: true,
		nodeTypes,
		staticData: options.staticDataJson ? (JSON.parse(options.staticDataJson) as IDataObject) : {},
	});
	return {
		workflow,
		node,
		nodeType,
		savedStaticData: () => (workflow.staticData.__dataChanged === true ? JSON.stringify(workflow.staticData) : undefined),
	};
}

export async function execute(
	harness: WorkflowHarness & { nodeType: INodeType },
	items: INodeExecutionData[],
	parameters: Record<string, ParameterValue> = {},
	context: { continueOnFail?: boolean; credentials?: IDataObject } = {},
): Promise<Run> {
	const merged = { ...defaults, ...parameters };
	const ctx = {
		getInputData: () => items,
		getNode: () => harness.node,
		getWorkflow: () => ({ id: harness.workflow.id, name: 'test', active: true }),
		getWorkflowStaticData: (type: string) => harness.workflow.getStaticData(type, harness.node),
		getNodeParameter: (name: string, itemIndex: number, fallback?: unknown) => {
			if (!(name in merged)) {
				if (fallback !== undefined) return fallback;
				throw new Error(`unknown parameter ${name}`);
			}
			const value = merged[name];
			return typeof value === 'function' ? (value as (item: INodeExecutionData, i: number) => unknown)(items[itemIndex], itemIndex) : value;
		},
		getCredentials: async (type: string) => {
			if (type !== 'dedupeRedisApi' || !context.credentials) throw new NodeOperationError(harness.node, `no credentials of type ${type}`);
			return context.credentials;
		},
		continueOnFail: () => context.continueOnFail === true,
	};
	const [New, Duplicate] = (await harness.nodeType.execute!.call(ctx as never)) as INodeExecutionData[][];
	return { New, Duplicate };
}

export const delivery = (deliveryId: unknown, extra: IDataObject = {}): INodeExecutionData => ({
	json: { verification: { deliveryId } as IDataObject, ...extra },
});
