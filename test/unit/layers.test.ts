import {readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {ESLint} from 'eslint';
import {describe, expect, it} from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixture = (name: string): string => readFileSync(new URL(`../fixtures/layering/${name}`, import.meta.url), 'utf8');
// The project's own config; the fixtures are ignored by `npm run lint`, not here.
const eslint = new ESLint({cwd: root, ignore: false});

async function rulesBroken(code: string, filePath: string): Promise<string[]> {
	const [result] = await eslint.lintText(code, {filePath: `${root}/${filePath}`});
	return result!.messages.map(message => message.ruleId ?? message.message);
}

describe('the layering rule (eslint.config.js) fails the build on', () => {
	it('a layer importing the wrong way: protocol → net, ui → engine', async () => {
		expect(await rulesBroken(fixture('protocol-imports-net.txt'), 'source/protocol/wrong-way.ts')).toContain('import-x/no-restricted-paths');
		expect(await rulesBroken(fixture('ui-imports-engine.txt'), 'source/ui/WrongWay.ts')).toContain('import-x/no-restricted-paths');
	}, 60_000);

	it('an import circle', async () => {
		const [result] = await eslint.lintFiles([`${root}/test/fixtures/layering/cycle-a.ts`]);
		expect(result!.messages.map(message => message.ruleId)).toContain('import-x/no-cycle');
	}, 60_000);

	it('and passes the code as it is', async () => {
		expect(await rulesBroken(readFileSync(`${root}/source/protocol/framing.ts`, 'utf8'), 'source/protocol/framing.ts')).toEqual([]);
	}, 60_000);
});
