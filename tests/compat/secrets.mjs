// Secrets through the official Daytona TypeScript SDK, unchanged: daytona.secret's create, list (paged, sorted,
// filtered), get, update and delete; a sandbox created with `secrets` sees the placeholder in its environment,
// never the value; sandbox.updateSecrets replaces the set. No answer may hold the value. Prints one line per
// step; exits non-zero on the first failure. Deletes what it creates.
import { Daytona, DaytonaNotFoundError } from '@daytonaio/sdk'
import { expect, fail, step } from './steps.mjs'

const daytona = new Daytona()
const name = `sdk_secret_${process.pid}`
const value = `sdk-value-${process.pid}-c0ffee`
const noValue = (what, v) => expect(!JSON.stringify(v).includes(value), `${what} holds the value: ${JSON.stringify(v)}`)
let secret, sandbox
try {
  secret = await daytona.secret.create({ name, value, description: 'from the SDK', hosts: ['api.example.com', '*.example.org'] })
  expect(secret.name === name && secret.placeholder.startsWith('dtn_secret_') && secret.hosts.length === 2,
    `create gave ${JSON.stringify(secret)}`)
  noValue('create', secret)
  try {
    await daytona.secret.create({ name, value: 'again' })
    fail('a second secret of the same name was made')
  } catch (e) {
    expect(/already/.test(e.message), `duplicate name: ${e.constructor.name} ${e.message}`)
  }
  step('create')

  const page = await daytona.secret.list({ name, limit: 10, sort: 'name', order: 'asc' })
  expect(page.total === 1 && page.items[0].id === secret.id && page.nextCursor === null, `list gave ${JSON.stringify(page)}`)
  noValue('list', page)
  const got = await daytona.secret.get(secret.id)
  expect(got.placeholder === secret.placeholder && got.description === 'from the SDK', `get gave ${JSON.stringify(got)}`)
  try {
    await daytona.secret.get('no-such-secret')
    fail('getting a missing secret succeeded')
  } catch (e) {
    expect(e instanceof DaytonaNotFoundError, `missing secret: ${e.constructor.name} ${e.message}`)
  }
  step('list and get')

  const updated = await daytona.secret.update(secret.id, { value: `${value}-2`, hosts: ['api.example.com'] })
  expect(updated.hosts.length === 1 && updated.placeholder === secret.placeholder, `update gave ${JSON.stringify(updated)}`)
  noValue('update', updated)
  step('update')

  sandbox = await daytona.create({ secrets: { API_KEY: name } })
  let r = await sandbox.process.executeCommand('printenv API_KEY')
  expect(r.result.trim() === secret.placeholder, `the sandbox's API_KEY is '${r.result.trim()}'`)
  r = await sandbox.process.executeCommand(`env | grep -c -- '-c0ffee' || true`)
  expect(r.result.trim() === '0', `the value is in the sandbox's environment: ${r.result}`)
  step('create with secrets')

  await sandbox.updateSecrets({ OTHER_KEY: name })
  expect(sandbox.env?.OTHER_KEY === secret.placeholder && !('API_KEY' in (sandbox.env ?? {})),
    `after updateSecrets the env is ${JSON.stringify(sandbox.env)}`)
  await sandbox.updateSecrets({})
  step('updateSecrets')

  await daytona.delete(sandbox)
  sandbox = undefined
  await daytona.secret.delete(secret.id)
  secret = undefined
  step('delete')
  console.log('DONE')
} catch (e) {
  fail(`${e.message} ${JSON.stringify(e.response?.data ?? '')}`)
} finally {
  if (sandbox)
    await daytona.delete(sandbox).catch(() => {})
  if (secret)
    await daytona.secret.delete(secret.id).catch(() => {})
}
