// Warm pools through the official Daytona TypeScript SDK, unchanged: create a pool for a snapshot, watch
// it fill, create a sandbox it serves, resize it, drain it and delete it; a second pool for the same
// snapshot is a conflict and a deleted pool is not found. Prints one line per step; exits non-zero on
// the first failure. Deletes what it creates.
import { Daytona, DaytonaConflictError, DaytonaNotFoundError } from '@daytonaio/sdk'
import { expect, fail, step, waitFor } from './steps.mjs'

const daytona = new Daytona()
const snapshot = 'cove-base'
let pool
let sandbox

// Polls the list until the pool's entry satisfies `cond` (the pool fills and drains in the background).
const until = (cond, what) => {
  let found
  return waitFor(async () => {
    found = (await daytona.warmPool.list()).find((p) => p.id === pool.id)
    return found && cond(found) && found
  }, 90000, () => `${what}: ${JSON.stringify(found)}`)
}

try {
  for (const p of await daytona.warmPool.list()) if (p.snapshot === snapshot) await daytona.warmPool.delete(p.id)
  pool = await daytona.warmPool.create({ snapshot, pool: 1 })
  expect(pool.snapshot === snapshot && pool.pool === 1 && typeof pool.currentSize === 'number',
    `create gave ${JSON.stringify(pool)}`)
  expect(pool.target && pool.osUser && pool.cpu >= 1 && pool.mem >= 1 && pool.disk >= 1, 'fields missing')
  step('create')

  try {
    await daytona.warmPool.create({ snapshot, pool: 1 })
    fail('a second pool for the same snapshot and target was made')
  } catch (e) {
    expect(e instanceof DaytonaConflictError, `second pool: ${e.constructor.name} ${e.message}`)
  }
  step('conflict')

  await until((p) => p.currentSize === 1 && p.errorReason == null, 'the pool did not fill')
  step('list filled')

  sandbox = await daytona.create({ snapshot })
  expect(sandbox.state === 'started', `the sandbox is ${sandbox.state}`)
  const r = await sandbox.process.executeCommand('echo warm')
  expect(r.result.trim() === 'warm', `the sandbox ran '${r.result}'`)
  await until((p) => p.currentSize === 1, 'the pool was not topped up')
  await daytona.delete(sandbox)
  sandbox = undefined
  step('serves a create')

  const resized = await daytona.warmPool.update(pool.id, { pool: 2 })
  expect(resized.pool === 2, `update gave ${JSON.stringify(resized)}`)
  await until((p) => p.currentSize === 2, 'the pool did not grow')
  await daytona.warmPool.update(pool.id, { pool: 0 })
  await until((p) => p.currentSize === 0 && p.pool === 0, 'the pool did not drain')
  step('update')

  await daytona.warmPool.delete(pool.id)
  expect(!(await daytona.warmPool.list()).some((p) => p.id === pool.id), 'the deleted pool is still listed')
  try {
    await daytona.warmPool.update(pool.id, { pool: 1 })
    fail('updating a deleted pool succeeded')
  } catch (e) {
    expect(e instanceof DaytonaNotFoundError, `deleted pool: ${e.constructor.name} ${e.message}`)
  }
  pool = undefined
  step('delete')
  console.log('DONE')
} catch (e) {
  fail(`${e.constructor.name}: ${e.message}`)
} finally {
  if (sandbox) await daytona.delete(sandbox).catch(() => {})
  if (pool) await daytona.warmPool.delete(pool.id).catch(() => {})
}
