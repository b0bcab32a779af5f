import { runsInQueueMode } from '../../../nodes/Dedupe/queueMode';

describe('runsInQueueMode: what n8n itself reads', () => {
	const node = '/usr/bin/node';
	const n8n = '/opt/n8n/bin/n8n';

	it.each([
		[{ EXECUTIONS_MODE: 'queue' }, [node, n8n, 'start'], true],
		[{ EXECUTIONS_MODE: 'regular' }, [node, n8n, 'start'], false],
		[{}, [node, n8n, 'start'], false],
		[{}, [node, n8n], false],
		// `n8n worker` switches to queue mode without the variable; `n8n webhook` only starts in queue mode.
		[{}, [node, n8n, 'worker'], true],
		[{ EXECUTIONS_MODE: 'regular' }, [node, n8n, 'worker'], true],
		[{}, [node, n8n, 'webhook'], true],
		// n8n's config accepts exactly "queue"; anything else falls back to regular mode.
		[{ EXECUTIONS_MODE: 'Queue' }, [node, n8n, 'start'], false],
	])('env %j, argv %j → %s', (env, argv, expected) => {
		expect(runsInQueueMode(env, argv)).toBe(expected);
	});

	it('reads the real process by default (not queue mode under jest unless the variable says so)', () => {
		expect(runsInQueueMode()).toBe(process.env.EXECUTIONS_MODE === 'queue');
	});
});
