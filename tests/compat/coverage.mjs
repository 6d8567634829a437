// Which of the SDK's public methods Cove serves. Reads the SDK's own .d.ts (the public methods) and .js
// (the generated API clients each method calls, and through them the exact method and path), then looks
// each route up in coved's route table (its /api/openapi.json, generated from the table itself) or the
// agent's (`cove-agent --routes`). Prints a coverage table; exits non-zero when a method reaches a route
// neither serves, or when the SDK has a method this script does not know how to place (a new release).
//
// Environment: DAYTONA_API_URL, DAYTONA_API_KEY (a running coved), COVE_AGENT (the cove-agent binary).
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const require = createRequire(import.meta.url)
const sdkDir = dirname(require.resolve('@daytonaio/sdk/package.json')) + '/cjs'
const clientDir = (name) => dirname(require.resolve(`@daytona/${name}/package.json`)) + '/src/api'

// Methods other work in progress is adding; printed as missing, never failing. Emptied as it lands.
const PENDING = {}

// Methods Cove deliberately does not serve, and why (printed with the table).
const NOT_SERVED = {}

// Methods that call no route of their own: client-side helpers, or ones whose routes are their
// callees' (listed under those).
const CLIENT_SIDE = new Set([
  'Daytona.createAxiosInstance', // builds an HTTP client
  'Daytona.[Symbol.asyncDispose]', // closes the event channel
  'Sandbox.createLspServer', // makes an LspServer object; its methods' routes are listed under it
])

// Routes the SDK reaches without its generated clients (hand-built requests and WebSockets).
const MANUAL = {
  'FileSystem.uploadFile': [['toolbox', 'POST', '/files/bulk-upload']],
  'FileSystem.uploadFiles': [['toolbox', 'POST', '/files/bulk-upload']],
  'Process.createPty': [['toolbox', 'POST', '/process/pty'], ['toolbox', 'WS', '/process/pty/{}/connect']],
  'Process.connectPty': [['toolbox', 'WS', '/process/pty/{}/connect']],
  'Process.getSessionCommandLogs': [['toolbox', 'GET', '/process/session/{}/command/{}/logs']],
  'Process.executeSessionCommand': [['toolbox', 'POST', '/process/session/{}/exec']],
  // The analytics service's address first (none from Cove), then coved's own history.
  'Sandbox.getMetrics': [['api', 'GET', '/api/config'], ['api', 'GET', '/api/sandbox/{}/telemetry/metrics']],
  'CodeInterpreter.runCode': [['toolbox', 'WS', '/process/interpreter/execute']],
  // S3 through the AWS SDK: a listing, then a put (or a multipart upload).
  'ObjectStorage.upload': [['api', 'GET', '/api/object-storage/s3/{}'], ['api', 'PUT', '/api/object-storage/s3/{}/{}']],
  'SnapshotService.processImageContext': [['api', 'GET', '/api/object-storage/push-access'],
    ['api', 'GET', '/api/object-storage/s3/{}'], ['api', 'PUT', '/api/object-storage/s3/{}/{}']],
}

// Methods that are another class's method under another name: their routes are that one's.
const DELEGATES = {
  'Daytona.start': 'Sandbox.start',
  'Daytona.stop': 'Sandbox.stop',
  'Daytona.delete': 'Sandbox.delete',
  'Daytona.fork': 'Sandbox.fork',
  'Daytona._experimental_fork': 'Sandbox.fork',
}

// --- the SDK's generated clients: operation name -> [method, path]
const operations = (client) => {
  const ops = new Map()
  const dir = clientDir(client)
  for (const file of ['sandbox-api.js', 'snapshots-api.js', 'volumes-api.js', 'object-storage-api.js',
    'warm-pools-api.js', 'secret-api.js', 'config-api.js', 'docker-registry-api.js', 'organizations-api.js',
    'computer-use-api.js', 'file-system-api.js', 'git-api.js', 'info-api.js', 'interpreter-api.js',
    'lsp-api.js', 'port-api.js', 'process-api.js', 'server-api.js', 'system-api.js']) {
    let text
    try { text = readFileSync(join(dir, file), 'utf8') } catch { continue }
    const re = /^ {8}(\w+): async \([^)]*\) => \{[\s\S]*?const localVarPath = `([^`]*)`[\s\S]*?method: '(\w+)'/gm
    for (const m of text.matchAll(re)) ops.set(m[1], [m[3], m[2]])
  }
  return ops
}
const apiOps = operations('api-client')
const toolboxOps = operations('toolbox-api-client')

// --- the SDK's public methods, per class, from its declarations
const FILES = ['Sandbox', 'Process', 'FileSystem', 'Git', 'LspServer', 'CodeInterpreter', 'ComputerUse',
  'Daytona', 'Snapshot', 'Volume', 'ObjectStorage', 'WarmPool', 'Secret']
const classes = []
for (const f of FILES) {
  const dts = readFileSync(join(sdkDir, `${f}.d.ts`), 'utf8')
  const js = readFileSync(join(sdkDir, `${f}.js`), 'utf8')
  for (const c of dts.matchAll(/^export declare class (\w+)[^{]*\{([\s\S]*?)^\}/gm)) {
    const methods = []
    for (const m of c[2].matchAll(/^ {4}(?!private |protected |constructor|readonly )(?:static )?(?:get )?(\[?[\w.$]+\]?)\??(?:<[^(]*>)?\(/gm))
      if (!methods.includes(m[1])) methods.push(m[1])
    // The compiled class alone: several classes share a file (ComputerUse.js).
    const start = js.search(new RegExp(`class ${c[1]}\\b`))
    const end = js.indexOf(`exports.${c[1]} =`, start)
    classes.push({ file: f, name: c[1], methods, js: js.slice(Math.max(0, start), end < 0 ? undefined : end) })
  }
}

// The body of `name` in a compiled class: from its signature to its closing brace, braces counted.
const bodyOf = (js, name) => {
  const sig = new RegExp(`^\\s+(?:async )?(?:static )?(?:get )?${name.replace(/[[\].$]/g, '\\$&')}\\([^)]*\\)\\s*\\{`, 'm')
  const m = sig.exec(js)
  if (!m) return ''
  let depth = 0
  for (let i = m.index + m[0].length - 1; i < js.length; ++i) {
    if (js[i] === '{') ++depth
    else if (js[i] === '}' && --depth === 0) return js.slice(m.index, i + 1)
  }
  return ''
}

const routesOf = (cls, method, seen = new Set()) => {
  const key = `${cls.name}.${method}`
  if (seen.has(key)) return []
  seen.add(key)
  if (MANUAL[key]) return MANUAL[key]
  if (DELEGATES[key]) {
    const [toClass, toMethod] = DELEGATES[key].split('.')
    return routesOf(classes.find((c) => c.name === toClass), toMethod, seen)
  }
  const body = bodyOf(cls.js, method)
  const toolboxSide = !['Sandbox', 'Daytona', 'SnapshotService', 'VolumeService', 'ObjectStorage',
    'WarmPoolService', 'SecretService'].includes(cls.name)
  const out = []
  for (const call of body.matchAll(/\.(\w+)\(/g)) {
    const op = call[1]
    const receiver = body.slice(Math.max(0, call.index - 30), call.index)
    if (/this$/.test(receiver) && (cls.methods.includes(op) || bodyOf(cls.js, op))) { // a sibling method: its routes too
      out.push(...routesOf(cls, op, seen))
      continue
    }
    const viaToolbox = /(infoApi|systemApi|serverApi|apiClient|toolboxApi|processApi|fileSystemApi|gitApi|lspApi|computerUseApi|interpreterApi|portApi)$/.test(receiver)
    const t = (toolboxSide || viaToolbox) && toolboxOps.has(op) ? toolboxOps.get(op) : undefined
    const a = apiOps.get(op)
    if (t) out.push(['toolbox', t[0], t[1]])
    else if (a && !/Array|String|Object|JSON|Promise|Math/.test(receiver)) out.push(['api', a[0], '/api' + a[1]])
  }
  return out
}

// --- what Cove serves
const base = process.env.DAYTONA_API_URL.replace(/\/api\/?$/, '')
const doc = await (await fetch(`${base}/api/openapi.json`, { headers: { Authorization: `Bearer ${process.env.DAYTONA_API_KEY}` } })).json()
const norm = (p) => p.replace(/\{[^}]*\}/g, '{}').replace(/\/+$/, '')
const served = new Set()
for (const [path, item] of Object.entries(doc.paths ?? {}))
  for (const verb of Object.keys(item)) served.add(`api ${verb.toUpperCase()} ${norm(path)}`)
for (const line of execFileSync(process.env.COVE_AGENT, ['--routes'], { encoding: 'utf8' }).split('\n')) {
  const [verb, path] = line.split(' ')
  if (path) served.add(`toolbox ${verb === 'WS' ? 'WS' : verb} ${norm(path)}`)
}
// A served pattern's {} takes any one segment (/process/session/{} serves /process/session/entrypoint);
// the agent's WebSocket routes answer a GET upgrade too.
const matches = (pattern, path) => {
  const a = pattern.split('/'), b = path.split('/')
  return a.length === b.length && a.every((seg, i) => seg === '{}' || seg === b[i])
}
const servedList = [...served].map((k) => k.split(' '))
const has = ([side, verb, path]) => servedList.some(([s, v, p]) =>
  s === side && (v === verb || (verb === 'GET' && v === 'WS')) && matches(p, norm(path)))

const listed = (table, cls, method) => table[`${cls}.${method}`] ?? table[`${cls}.*`] ??
  (Object.entries(table).find(([k]) => k.includes('*') && new RegExp('^' + k.replace('.', '\\.').replace('*', '.*') + '$').test(`${cls}.${method}`)) ?? [])[1]

let failures = 0
const counts = { served: 0, pending: 0, notServed: 0, clientSide: 0, missing: 0 }
const rows = []
for (const cls of classes) {
  for (const method of cls.methods) {
    const name = `${cls.name}.${method}`
    const routes = routesOf(cls, method)
    const missing = routes.filter((r) => !has(r))
    const pending = listed(PENDING, cls.name, method)
    const notServed = listed(NOT_SERVED, cls.name, method)
    let status
    if (notServed) { status = 'not served'; ++counts.notServed }
    else if (pending && (missing.length || !routes.length)) { status = 'PENDING'; ++counts.pending }
    else if (!routes.length) {
      if (CLIENT_SIDE.has(name)) { status = 'client-side'; ++counts.clientSide }
      else { status = 'UNKNOWN'; ++failures; ++counts.missing }
    } else if (missing.length) { status = 'MISSING'; ++failures; ++counts.missing }
    else { status = 'ok'; ++counts.served }
    const shown = (missing.length ? missing : routes).map((r) => `${r[0] === 'api' ? '' : 'toolbox '}${r[1]} ${r[2]}`)
    rows.push([status, name, [...new Set(shown)].join(', ') + (notServed ? ` (${notServed})` : pending && status === 'PENDING' ? ` (${pending})` : '')])
  }
}
const width = Math.max(...rows.map((r) => r[1].length))
for (const [status, name, routes] of rows) console.log(`${status.padEnd(11)} ${name.padEnd(width)}  ${routes}`)
console.log(`coverage: ${counts.served} served, ${counts.clientSide} client-side, ${counts.pending} pending, ${counts.notServed} not served, ${counts.missing} missing`)
if (failures) {
  console.log(`FAIL: ${failures} method(s) reach no Cove route (MISSING) or are not placed (UNKNOWN)`)
  process.exit(1)
}
console.log('DONE')
