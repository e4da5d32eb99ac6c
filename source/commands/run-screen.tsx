import ansiEscapes from 'ansi-escapes';
import chalk from 'chalk';
import {render} from 'ink';
import React from 'react';
import type {EngineControl} from '../engine-control.js';
import {engineActions} from '../screen-actions.js';
import {untilShutdown} from '../lifecycle.js';
import {messageOf} from '../errors.js';
import {loadHistory, saveHistory} from '../state/history-file.js';
import type {Store} from '../state/store.js';
import type {Actions} from '../ui/actions.js';
import {App, type Mode, type ReplayControl} from '../ui/App.js';

/** From the first frame to the client's first dial (the first frames of React and Ink settle). */
const settleMs = 50;

const bracketedPasteOn = '\u001B[?2004h';
const bracketedPasteOff = '\u001B[?2004l';

export type TuiOptions = {
	readonly mode: Mode;
	/** Where input history lasts between runs; undefined = not kept (--no-history). */
	readonly historyFile: string | undefined;
};

/** What the screen drives: live engines, or a replay of a log. */
export type ScreenDriver = {
	readonly actions: Actions;
	/** Once the first frame has settled (the client dials then). */
	readonly start: () => void;
	/** After the screen is gone: every socket closed, every timer stopped. */
	readonly stop: () => Promise<void>;
	readonly replay?: ReplayControl;
};

/** The screen over live engines: the client dials once the first frame is up. */
export function engineDriver(engine: EngineControl, store: Store): ScreenDriver {
	return {actions: engineActions(engine, store), start: () => engine.startClient(), stop: async () => engine.stop()};
}

/**
 * Runs the full-screen app until q, Ctrl+C, a signal or a crash, and restores the terminal on
 * every one of those paths (alternate screen, cursor; Ink restores raw mode when it unmounts).
 * Resolves with the exit code after every socket is closed.
 */
export async function runTui(driver: ScreenDriver, store: Store, {mode, historyFile}: TuiOptions): Promise<number> {
	const {stdout} = process;
	// NO_COLOR (no-color.org): Ink colours through chalk's shared instance, which ignores it.
	if (process.env['NO_COLOR'] !== undefined && process.env['NO_COLOR'] !== '') {
		chalk.level = 0;
	}

	let restored = false;
	const restore = (): void => {
		if (!restored) {
			restored = true;
			stdout.write(bracketedPasteOff + ansiEscapes.exitAlternativeScreen + ansiEscapes.cursorShow);
		}
	};

	// Bracketed paste: the terminal marks a paste, so pasted text is typed into an input box
	// and never taken for keys (a pasted "k" must not kick anyone).
	stdout.write(ansiEscapes.enterAlternativeScreen + ansiEscapes.cursorHide + bracketedPasteOn);
	process.once('exit', restore);
	const history = historyFile === undefined ? [] : loadHistory(historyFile);
	const instance = render(<App store={store} actions={driver.actions} mode={mode} history={history} {...(driver.replay ? {replay: driver.replay} : {})} />, {
		exitOnCtrlC: false,
		patchConsole: true,
		maxFps: 30,
	});

	// The first frame is up and has settled: now the client dials, on a quiet machine, so that
	// its connect time is the network's and not the screen's start-up.
	const dial = setTimeout(() => {
		driver.start();
	}, settleMs);
	let exitCode = 0;
	const onCrash = (error: unknown): void => {
		exitCode = 1;
		instance.unmount();
		restore();
		process.stderr.write(`socket-tui: unexpected failure: ${messageOf(error)}\n`);
	};

	process.once('uncaughtException', onCrash);
	void untilShutdown([stdout]).then(() => {
		instance.unmount();
	});
	try {
		await instance.waitUntilExit();
	} catch (error) {
		onCrash(error);
	}

	clearTimeout(dial);
	restore();
	process.off('uncaughtException', onCrash);
	store.dispose();
	await driver.stop();
	if (historyFile !== undefined) {
		saveHistory(historyFile, history);
	}

	return exitCode;
}
