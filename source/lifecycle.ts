const shutdownSignals: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Resolves with the name of the first of SIGINT, SIGTERM or SIGHUP to arrive, so the caller
 * can close every socket, publish the closing events and exit 0. A second signal while
 * shutting down exits at once (the user insists).
 *
 * The listeners stay installed for the life of the process: removing the last listener of a
 * signal inside its own handler hands the signal back to the default action (seen here as an
 * intermittent death by SIGTERM before the closing events were written).
 */
export async function untilSignal(): Promise<NodeJS.Signals> {
	return new Promise(resolve => {
		let received = false;
		const onSignal = (signal: NodeJS.Signals): void => {
			if (received) {
				process.exit(130);
			}

			received = true;
			resolve(signal);
		};

		for (const name of shutdownSignals) {
			process.on(name, onSignal);
		}
	});
}

/**
 * Resolves with the error of the first uncaught exception or unhandled rejection: a bug, which
 * the caller reports in one line before closing every socket (no stack trace on a user's screen).
 */
export async function untilCrash(): Promise<unknown> {
	return new Promise(resolve => {
		process.once('uncaughtException', resolve);
		process.once('unhandledRejection', resolve);
	});
}

/**
 * Resolves when a shutdown signal arrives or when an output stream fails (stdout closed under
 * us, e.g. `socket-tui serve --json | head -1`): nobody is reading, so we stop cleanly instead
 * of dying on EPIPE. Returns what ended the run.
 */
export async function untilShutdown(outputs: readonly NodeJS.WritableStream[]): Promise<NodeJS.Signals | 'output-closed'> {
	return Promise.race([
		untilSignal(),
		...outputs.map(async stream => new Promise<'output-closed'>(resolve => {
			stream.on('error', () => {
				resolve('output-closed');
			});
		})),
	]);
}

/**
 * Watches output streams for their reader going away (EPIPE, a closed terminal): `signal`
 * aborts at the first error, so a command can stop quietly and exit 0. `dispose` stops watching.
 */
export function watchOutputs(outputs: readonly NodeJS.WritableStream[]): {readonly signal: AbortSignal; readonly dispose: () => void} {
	const controller = new AbortController();
	const onError = (): void => {
		controller.abort();
	};

	for (const stream of outputs) {
		stream.on('error', onError);
	}

	return {
		signal: controller.signal,
		dispose() {
			for (const stream of outputs) {
				stream.off('error', onError);
			}
		},
	};
}
