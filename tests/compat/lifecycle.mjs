// Drives a local Cove with the official Daytona TypeScript SDK, unchanged, the way users' code does.
// Prints one line per step; exits non-zero on the first failure. Leaves one sandbox running on purpose:
// the SDK must still exit by itself (its event channel closes cleanly).
import { Daytona } from '@daytonaio/sdk'
import { expect, fail, step } from './steps.mjs'

const daytona = new Daytona()

const sandbox = await daytona.create({ labels: { suite: 'sdk' } })
expect(sandbox.state === 'started', `create: state ${sandbox.state}`)
expect(sandbox.labels['code-toolbox-language'] === 'python', 'create: language label not echoed')
expect(sandbox.cpu === 1 && sandbox.memory === 1 && sandbox.disk === 3, 'create: default resources')
step('create', sandbox.id)

const named = await daytona.create({ name: 'sdk-named', language: 'typescript', envVars: { GREETING: 'hi' } })
expect(named.name === 'sdk-named', 'create: name')
expect(named.labels['code-toolbox-language'] === 'typescript', 'create: typescript label')
step('create named')

const found = await daytona.get('sdk-named')
expect(found.id === named.id, 'get by name')
step('get by name')

const listed = []
for await (const s of daytona.list({ labels: { suite: 'sdk' } })) listed.push(s.id)
expect(listed.includes(sandbox.id), 'list by label')
expect(!listed.includes(named.id), 'list by label includes another sandbox')
step('list', `${listed.length} item(s)`)

await sandbox.stop()
expect(sandbox.state === 'stopped', `stop: state ${sandbox.state}`)
step('stop')
await sandbox.start()
expect(sandbox.state === 'started', `start: state ${sandbox.state}`)
step('start')

await sandbox.resize({ cpu: 2, memory: 2 })
await sandbox.refreshData()
expect(sandbox.cpu === 2 && sandbox.memory === 2, `resize: ${sandbox.cpu} vCPU ${sandbox.memory} GiB`)
step('resize')

await sandbox.setLabels({ suite: 'sdk', round: '2' })
await sandbox.refreshData()
expect(sandbox.labels.round === '2', 'setLabels')
step('labels')
await sandbox.setAutostopInterval(30)
await sandbox.refreshData()
expect(sandbox.autoStopInterval === 30, 'setAutostopInterval')
step('autostop')

// The delete answers at once with `destroying`, as Daytona's does; the sandbox is then not found once its
// container is gone.
const deleting = Date.now()
await sandbox.delete()
expect(['destroying', 'destroyed'].includes(sandbox.state), `after delete() the sandbox is ${sandbox.state}`)
const answeredIn = Date.now() - deleting
let gone = false
while (!gone && Date.now() - deleting < 60000) {
  try {
    const s = await daytona.get(sandbox.id)
    expect(s.state === 'destroying', `a sandbox being deleted is ${s.state}`)
    await new Promise((ok) => setTimeout(ok, 100))
  } catch (e) {
    gone = e.constructor.name === 'DaytonaNotFoundError' || /not found/i.test(String(e.message))
    if (!gone) throw e
  }
}
console.log(`delete answered in ${answeredIn} ms, destroyed after ${Date.now() - deleting} ms`)
expect(gone, 'a deleted sandbox is not found')
step('delete')

// `named` stays running: the process must still end on its own.
console.log(`LEFT ${named.id}`)
