// GET /api/openapi.json of a running coved: a valid OpenAPI document (@apidevtools/swagger-parser), and
// real replies of a handful of calls match the schemas the document gives for them (Ajv, with unknown
// fields refused, so a field a serializer writes and the document lacks fails too).
// COVE_URL (http://127.0.0.1:PORT) and COVE_API_KEY say which coved. Prints "ok ..." per check and exits
// non-zero on the first document error or after any reply that does not match.
import SwaggerParser from '@apidevtools/swagger-parser'
import Ajv2020Module from 'ajv/dist/2020.js'

const Ajv2020 = Ajv2020Module.default ?? Ajv2020Module
const base = process.env.COVE_URL
const key = process.env.COVE_API_KEY
let failures = 0

const res = await fetch(`${base}/api/openapi.json`) // public: no key
if (res.status !== 200) throw new Error(`GET /api/openapi.json answered ${res.status}`)
const doc = await res.json()
await SwaggerParser.validate(structuredClone(doc))
console.log(`ok valid OpenAPI ${doc.openapi}, ${Object.keys(doc.paths).length} paths`)

// Every object schema that lists its fields takes no others: the document must name every field coved
// writes.
function closed(schema) {
  if (Array.isArray(schema)) return schema.map(closed)
  if (schema === null || typeof schema !== 'object') return schema
  const out = {}
  for (const [k, v] of Object.entries(schema)) out[k] = k === 'properties' ? Object.fromEntries(Object.entries(v).map(([n, s]) => [n, closed(s)])) : closed(v)
  if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false
  return out
}
const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true })
const rootId = 'https://cove.invalid/openapi.json'
ajv.addSchema({ $id: rootId, components: closed(doc.components) })

function pointer(ref) {
  return ref.slice(2).split('/').reduce((node, part) => node?.[part.replace(/~1/g, '/').replace(/~0/g, '~')], doc)
}

async function call(method, path, body, withKey = true) {
  const headers = {}
  if (withKey) headers.Authorization = `Bearer ${key}`
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  const r = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  const text = await r.text()
  return { status: r.status, json: text ? JSON.parse(text) : undefined }
}

// Calls `path` (the documented `pattern` filled in) and checks the reply against the schema the document
// gives for that operation and status.
async function check(method, pattern, path, body, { withKey = true, status } = {}) {
  const started = Date.now()
  const reply = await call(method, path, body, withKey)
  const name = `${method} ${pattern} ${reply.status}`
  const took = ` (${Date.now() - started} ms)`
  const op = doc.paths[pattern]?.[method.toLowerCase()]
  if (!op) {
    console.log(`FAIL ${name}: not in the document`)
    failures++
    return reply
  }
  if (status !== undefined && reply.status !== status) {
    console.log(`FAIL ${name}: expected ${status}: ${JSON.stringify(reply.json)}`)
    failures++
    return reply
  }
  let response = op.responses[String(reply.status)]
  if (!response) {
    console.log(`FAIL ${name}: status not documented`)
    failures++
    return reply
  }
  if (response.$ref) response = pointer(response.$ref)
  const media = response.content?.['application/json']
  if (!media) {
    if (reply.json !== undefined) {
      console.log(`FAIL ${name}: documented without a JSON body, answered one`)
      failures++
    } else console.log(`ok ${name} (no body)${took}`)
    return reply
  }
  const validate = ajv.compile({ $id: `https://cove.invalid/check/${method}${pattern}/${reply.status}`, ...rewrite(media.schema) })
  if (validate(reply.json)) console.log(`ok ${name}${took}`)
  else {
    console.log(`FAIL ${name}: ${ajv.errorsText(validate.errors)}\n  ${JSON.stringify(reply.json).slice(0, 800)}`)
    failures++
  }
  return reply
}
// A schema of the document as one Ajv compiles apart: its references point into the document's schema.
function rewrite(schema) {
  return JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', `"${rootId}#/components/`))
}

await check('GET', '/api/health', '/api/health', undefined, { withKey: false, status: 200 })
await check('GET', '/api/info', '/api/info', undefined, { status: 200 })
await check('GET', '/api/health/ready', '/api/health/ready', undefined, { withKey: false, status: 200 })
await check('GET', '/api/config', '/api/config', undefined, { status: 200 })
await check('GET', '/api/sandbox', '/api/sandbox', undefined, { withKey: false, status: 401 })
await check('GET', '/api/sandbox/{id}', '/api/sandbox/no-such-sandbox', undefined, { status: 404 })
await check('POST', '/api/sandbox', '/api/sandbox', { cpu: 'two' }, { status: 400 })
const created = await check('POST', '/api/sandbox', '/api/sandbox', { labels: { suite: 'openapi' } }, { status: 200 })
const id = created.json?.id
if (!id) throw new Error('no sandbox was created')
// The checks can fail: a field the schema does not name, or a missing one, is refused.
const sandboxSchema = ajv.compile(rewrite({ $id: 'https://cove.invalid/probe', $ref: '#/components/schemas/Sandbox' }))
if (!sandboxSchema(created.json) || sandboxSchema({ ...created.json, notAField: 1 }) || sandboxSchema({ id }))
  throw new Error('the Sandbox schema accepts what it should refuse, or refuses the reply')
console.log('ok the schemas refuse unknown and missing fields')
await check('GET', '/api/sandbox', '/api/sandbox', undefined, { status: 200 })
const creating = Date.now()
while (Date.now() - creating < 60000) { // the container and its agent
  const s = await call('GET', `/api/sandbox/${id}`)
  if (s.json?.state !== 'creating' && s.json?.state !== 'starting') break
  await new Promise((resolve) => setTimeout(resolve, 100))
}
console.log(`ok started in ${Date.now() - creating} ms`)
await check('GET', '/api/sandbox/{id}', `/api/sandbox/${id}`, undefined, { status: 200 })
await check('PUT', '/api/sandbox/{id}/labels', `/api/sandbox/${id}/labels`, { labels: { suite: 'openapi', a: 'b' } }, { status: 200 })
await check('POST', '/api/sandbox/{id}/autostop/{interval}', `/api/sandbox/${id}/autostop/30`, undefined, { status: 200 })
await check('GET', '/api/sandbox/{id}/ports/{port}/preview-url', `/api/sandbox/${id}/ports/3000/preview-url`, undefined, { status: 200 })
await check('GET', '/api/sandbox/{id}/signing-key', `/api/sandbox/${id}/signing-key`, undefined, { status: 200 })
await check('GET', '/api/sandbox/{id}/toolbox-proxy-url', `/api/sandbox/${id}/toolbox-proxy-url`, undefined, { status: 200 })
{
  const range = `from=${new Date(Date.now() - 3600e3).toISOString()}&to=${new Date(Date.now() + 60e3).toISOString()}`
  await check('GET', '/api/sandbox/{id}/telemetry/metrics', `/api/sandbox/${id}/telemetry/metrics?${range}`, undefined, { status: 200 })
  await check('GET', '/api/sandbox/{id}/telemetry/metrics', `/api/sandbox/${id}/telemetry/metrics`, undefined, { status: 400 })
  await check('GET', '/api/sandbox/{id}/telemetry/logs', `/api/sandbox/${id}/telemetry/logs?${range}`, undefined, { status: 200 })
  await check('GET', '/api/sandbox/{id}/telemetry/traces', `/api/sandbox/${id}/telemetry/traces?${range}`, undefined, { status: 200 })
  await check('GET', '/api/sandbox/{id}/telemetry/traces/{traceId}', `/api/sandbox/${id}/telemetry/traces/0af7651916cd43dd8448eb211c80319c`, undefined, { status: 200 })
  await check('GET', '/toolbox/{id}/system/metrics', `/toolbox/${id}/system/metrics`, undefined, { status: 200 })
}
await check('POST', '/api/sandbox/{id}/terminal-token', `/api/sandbox/${id}/terminal-token`, undefined, { status: 200 })
const ssh = await check('POST', '/api/sandbox/{id}/ssh-access', `/api/sandbox/${id}/ssh-access?expiresInMinutes=5`, undefined, { status: 200 })
await check('GET', '/api/sandbox/ssh-access/validate', `/api/sandbox/ssh-access/validate?token=${ssh.json?.token}`, undefined, { status: 200 })
await check('DELETE', '/api/sandbox/{id}/ssh-access', `/api/sandbox/${id}/ssh-access`, undefined, { status: 200 })
const snapshots = await check('GET', '/api/snapshots', '/api/snapshots', undefined, { status: 200 })
const snapshot = snapshots.json?.items?.[0]?.name
if (!snapshot) throw new Error('no snapshot listed')
await check('GET', '/api/snapshots/{id}', `/api/snapshots/${snapshot}`, undefined, { status: 200 })
const volume = await check('POST', '/api/volumes', '/api/volumes', { name: `openapi-${Date.now()}` }, { status: 200 })
const volumeId = volume.json?.id
await check('POST', '/api/volumes/{id}/files/folder', `/api/volumes/${volumeId}/files/folder?path=data`, undefined, { status: 200 })
await check('GET', '/api/volumes/{id}/files', `/api/volumes/${volumeId}/files`, undefined, { status: 200 })
await check('GET', '/api/volumes', '/api/volumes', undefined, { status: 200 })
await check('DELETE', '/api/volumes/{id}', `/api/volumes/${volumeId}`, undefined, { status: 200 })
const keyName = `openapi-${Date.now()}`
await check('POST', '/api/api-keys', '/api/api-keys', { name: keyName, permissions: ['write:sandboxes'] }, { status: 201 })
await check('GET', '/api/api-keys', '/api/api-keys', undefined, { status: 200 })
await check('DELETE', '/api/api-keys/{name}', `/api/api-keys/${keyName}`, undefined, { status: 204 })
const orgs = await check('GET', '/api/organizations', '/api/organizations', undefined, { status: 200 })
const org = orgs.json?.[0]?.id
await check('GET', '/api/organizations/{organizationId}/usage', `/api/organizations/${org}/usage`, undefined, { status: 200 })
await check('GET', '/api/organizations/{organizationId}/usage/history', `/api/organizations/${org}/usage/history`, undefined, { status: 200 })
await check('GET', '/api/audit', '/api/audit?limit=5', undefined, { status: 200 })
await check('GET', '/api/object-storage/push-access', '/api/object-storage/push-access', undefined, { status: 200 })
await check('DELETE', '/api/sandbox/{id}', `/api/sandbox/${id}`, undefined, { status: 200 })

console.log(failures ? `${failures} replies do not match the document` : 'ok every reply matches the document')
process.exit(failures ? 1 : 0)
