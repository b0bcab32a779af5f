/**
 * Whether this n8n runs in queue mode, where executions are spread over separate worker processes.
 * The execute context does not say (n8n 2.41 exposes no execution mode to nodes), so this reads what n8n itself
 * reads: EXECUTIONS_MODE (its config), and the command, because `n8n worker` switches to queue mode even without
 * the variable and `n8n webhook` refuses to start outside it (n8n takes its instance type from argv[2] as well).
 */
export function runsInQueueMode(env: Record<string, string | undefined> = process.env, argv: readonly string[] = process.argv): boolean {
	return env.EXECUTIONS_MODE === 'queue' || argv[2] === 'worker' || argv[2] === 'webhook';
}
