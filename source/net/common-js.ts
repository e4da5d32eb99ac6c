/**
 * The exports of a CommonJS library loaded with `import()`. Node's loader gives its named
 * exports and `default` (module.exports); the bundle's lazily loaded chunk of such a library
 * gives `default` only (esbuild emits `export default require_x()`), so a destructured
 * `const {generate} = await import('selfsigned')` works from the source and is undefined in
 * dist/. Reading `default` first is right in both.
 */
export function commonJsExports<T extends object>(namespace: T): T {
	return (namespace as {default?: T}).default ?? namespace;
}
