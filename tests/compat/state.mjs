// Pause and resume, auto-pause and TTL, forks and their lineage, snapshots of a running sandbox and backups,
// through the official Daytona TypeScript SDK, unchanged. Prints one line per step; exits non-zero on the
// first failure. Deletes what it creates.
import { Daytona } from '@daytonaio/sdk'
import { expect, fail, step } from './steps.mjs'

const daytona = new Daytona()
const made = []
const snapshotName = `sdk-running-${process.pid}`
try {
  const sandbox = await daytona.create({ name: `sdk-state-${process.pid}`, autoStopInterval: 0 })
  made.push(sandbox)
  let r = await sandbox.process.executeCommand(
    'echo kept > ~/note; nohup sh -c "while :; do date +%s%N > /tmp/tick; sleep 0.1; done" >/dev/null 2>&1 & echo $!')
  const pid = r.result.trim()
  expect(r.exitCode === 0 && pid, `starting a process: ${r.result}`)

  await sandbox.pause()
  expect(sandbox.state === 'paused', `pause: state ${sandbox.state}`)
  await sandbox.start()
  expect(sandbox.state === 'started', `resume: state ${sandbox.state}`)
  r = await sandbox.process.executeCommand(`kill -0 ${pid} && echo alive`)
  expect(r.result.trim() === 'alive', `the process did not survive the pause: ${r.result}`)
  step('pause and resume')

  try {
    await sandbox.setAutostopInterval(15)
    await sandbox.setAutoPauseInterval(30)
    fail('auto-pause was accepted while auto-stop is on')
  } catch (e) {
    expect(/auto-stop/.test(String(e.message)), `auto-pause with auto-stop on: ${e.message}`)
  }
  await sandbox.setAutostopInterval(0)
  await sandbox.setAutoPauseInterval(30)
  await sandbox.setTtl(120)
  await sandbox.refreshData()
  expect(sandbox.autoPauseInterval === 30, `autoPauseInterval ${sandbox.autoPauseInterval}`)
  const left = Date.parse(sandbox.autoDestroyAt) - Date.now()
  expect(left > 110 * 60000 && left <= 120 * 60000, `autoDestroyAt ${sandbox.autoDestroyAt}`)
  await sandbox.setTtl(0)
  await sandbox.refreshData()
  expect(!sandbox.autoDestroyAt, `setTtl(0) left autoDestroyAt ${sandbox.autoDestroyAt}`)
  step('auto-pause and ttl')

  const fork = await sandbox.fork({ name: `sdk-fork-${process.pid}` })
  made.push(fork)
  expect(fork.state === 'started' && fork.id !== sandbox.id, `fork: ${fork.state} ${fork.id}`)
  r = await fork.process.executeCommand('cat ~/note')
  expect(r.result.trim() === 'kept', `the fork's files: ${r.result}`)
  const viaClient = await daytona.fork(sandbox)
  made.push(viaClient)
  const viaExperimental = await fork._experimental_fork()
  made.push(viaExperimental)
  const api = sandbox.sandboxApi
  const children = (await api.getSandboxForks(sandbox.id)).data.map((s) => s.id).sort()
  expect(JSON.stringify(children) === JSON.stringify([fork.id, viaClient.id].sort()),
    `forks: ${JSON.stringify(children)}`)
  expect((await api.getSandboxParent(viaExperimental.id)).data.id === fork.id, 'parent')
  const ancestors = (await api.getSandboxAncestors(viaExperimental.id)).data.map((s) => s.id)
  expect(JSON.stringify(ancestors) === JSON.stringify([fork.id, sandbox.id]), `ancestors ${ancestors}`)
  step('fork', `${made.length - 1} forks`)

  await fork._experimental_createSnapshot(snapshotName)
  const snapshot = await daytona.snapshot.get(snapshotName)
  expect(snapshot.state === 'active' || snapshot.state === 'pending' || snapshot.state === 'building',
    `snapshot of a running sandbox: ${snapshot.state}`)
  expect(fork.state === 'started', `the fork after its snapshot: ${fork.state}`)
  step('snapshot of a running sandbox')

  const backedUp = (await api.createBackup(sandbox.id)).data
  expect(backedUp.backupState === 'Completed' && backedUp.backupCreatedAt, `backup: ${JSON.stringify(backedUp)}`)
  step('backup')
} catch (e) {
  fail(`${e.constructor.name}: ${e.message}`)
} finally {
  for (const s of made.reverse()) await s.delete().catch(() => {})
  try {
    let snapshot = await daytona.snapshot.get(snapshotName)
    for (let i = 0; i < 60 && snapshot.state !== 'active'; ++i) {
      await new Promise((ok) => setTimeout(ok, 500))
      snapshot = await daytona.snapshot.get(snapshotName)
    }
    await daytona.snapshot.delete(snapshot)
  } catch {}
}
console.log('DONE')
