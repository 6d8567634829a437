// Volumes through the official Daytona TypeScript SDK, unchanged: get-or-create by name, mount in two
// sandboxes (one by name, one with a subpath), share a file, list, and delete once no sandbox mounts it.
// Prints one line per step; exits non-zero on the first failure. Deletes what it creates.
import { Daytona, DaytonaNotFoundError } from '@daytonaio/sdk'
import { expect, fail, step } from './steps.mjs'

const daytona = new Daytona()
const name = `sdk-volume-${process.pid}`
const sandboxes = []
let volume
try {
  volume = await daytona.volume.get(name, true)
  expect(volume.name === name && volume.state === 'ready', `get-or-create gave ${JSON.stringify(volume)}`)
  const again = await daytona.volume.get(name)
  expect(again.id === volume.id, 'getting the volume by name found another one')
  try {
    await daytona.volume.get(`${name}-missing`)
    fail('getting a missing volume succeeded')
  } catch (e) {
    expect(e instanceof DaytonaNotFoundError, `missing volume: ${e.constructor.name} ${e.message}`)
  }
  step('get or create')

  const writer = await daytona.create({ volumes: [{ volumeId: volume.id, mountPath: '/data' }] })
  sandboxes.push(writer)
  const reader = await daytona.create({ volumes: [{ volumeId: name, mountPath: '/team', subpath: 'team' }] })
  sandboxes.push(reader)
  expect(reader.volumes?.[0]?.volumeId === volume.id, `the mount names ${JSON.stringify(reader.volumes)}`)
  let r = await writer.process.executeCommand('mkdir -p /data/team && echo shared > /data/team/note.txt')
  expect(r.exitCode === 0, `writing through the mount: ${r.result}`)
  r = await reader.process.executeCommand('cat /team/note.txt')
  expect(r.result.trim() === 'shared', `the other sandbox read '${r.result}'`)
  step('shared between sandboxes')

  const listed = await daytona.volume.list()
  expect(Array.isArray(listed) && listed.some((v) => v.id === volume.id), 'the list lacks the volume')
  step('list')

  try {
    await daytona.volume.delete(volume)
    fail('deleting a mounted volume succeeded')
  } catch (e) {
    expect(/mounted/.test(String(e.message)), `deleting while mounted: ${e.message}`)
  }
  // Waited for: a sandbox being destroyed holds its mounts until its container is gone.
  for (const s of sandboxes.splice(0)) await daytona.delete(s, 60, true)
  await daytona.volume.delete(volume)
  volume = undefined
  try {
    await daytona.volume.get(name)
    fail('the deleted volume is still found by name')
  } catch (e) {
    expect(e instanceof DaytonaNotFoundError, `deleted volume: ${e.constructor.name} ${e.message}`)
  }
  step('delete')
  console.log('DONE')
} catch (e) {
  fail(`${e.constructor.name}: ${e.message}`)
} finally {
  for (const s of sandboxes) await daytona.delete(s).catch(() => {})
  if (volume) await daytona.volume.delete(volume).catch(() => {})
}
