import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IExecuteFunctions,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { pingRedis } from '../core/dedupe';
import { dedupeDescription } from './description';
import { executeDedupe, redisSettingsFromCredential } from './execute';

/** Dedupe: the first delivery of each key goes to New, repeats to Duplicate (see description.ts and nodes/core/dedupe). */
export class Dedupe implements INodeType {
	description: INodeTypeDescription = dedupeDescription;

	methods = {
		credentialTest: {
			async dedupeRedisConnectionTest(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				try {
					const reply = await pingRedis(redisSettingsFromCredential(credential.data ?? {}));
					return { status: 'OK', message: `Connected: PING answered ${reply}` };
				} catch (error) {
					return { status: 'Error', message: (error as Error).message };
				}
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return executeDedupe(this);
	}
}
