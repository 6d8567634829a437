// Declarative images with local files through the official Daytona TypeScript SDK, unchanged: the SDK
// uploads Image.addLocalDir/addLocalFile contexts to Cove's object storage (push-access, then S3 calls,
// multipart for the larger one), Cove builds them into a sandbox and into a named snapshot, and an
// identical image is served by the same build. Prints one line per step; deletes what it creates.
import { Daytona, Image } from '@daytonaio/sdk'
import { createHash, randomBytes } from 'node:crypto'
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, fail, step } from './steps.mjs'

const daytona = new Daytona()
const dir = mkdtempSync(join(tmpdir(), 'cove-context-'))
const sandboxes = []
let snapshot
try {
  // A folder with a small file and one past the SDK's 5 MiB part size, and a single script.
  const token = `${process.pid}-${Date.now()}`
  mkdirSync(join(dir, 'app', 'data'), { recursive: true })
  writeFileSync(join(dir, 'app', 'hello.txt'), `hello ${token}\n`)
  const big = randomBytes(6 * 1024 * 1024 + 123)
  writeFileSync(join(dir, 'app', 'data', 'big.bin'), big)
  writeFileSync(join(dir, 'tool.sh'), `#!/bin/sh\necho tool ${token}\n`)
  const image = () =>
    Image.base('cove-base:latest')
      .addLocalDir(join(dir, 'app'), '/opt/app')
      .addLocalFile(join(dir, 'tool.sh'), '/usr/local/bin/cove-tool')
      .runCommands('cp /opt/app/hello.txt /tmp/built.txt')

  const logs = []
  const sandbox = await daytona.create({ image: image() }, { onSnapshotCreateLogs: (l) => logs.push(l), timeout: 600 })
  sandboxes.push(sandbox)
  expect(sandbox.state === 'started', `the built sandbox is ${sandbox.state}`)
  expect(logs.some((l) => /COPY/.test(l)), `the build log shows no COPY step: ${logs.join('').slice(-400)}`)
  let r = await sandbox.process.executeCommand('cat /opt/app/hello.txt')
  expect(r.result.trim() === `hello ${token}`, `the directory's file reads '${r.result}'`)
  r = await sandbox.process.executeCommand('sha256sum /opt/app/data/big.bin')
  const want = createHash('sha256').update(big).digest('hex')
  expect(r.result.startsWith(want), `the large file's digest is '${r.result}', not ${want}`)
  r = await sandbox.process.executeCommand('sh /usr/local/bin/cove-tool && cat /tmp/built.txt')
  expect(r.result.trim() === `tool ${token}\nhello ${token}`, `the single file and the RUN step gave '${r.result}'`)
  step('context files in the sandbox')

  const again = await daytona.create({ image: image() }, { timeout: 600 })
  sandboxes.push(again)
  expect(again.snapshot === sandbox.snapshot, `an identical image built anew: ${again.snapshot} vs ${sandbox.snapshot}`)
  r = await again.process.executeCommand('cat /opt/app/hello.txt')
  expect(r.result.trim() === `hello ${token}`, `the second sandbox reads '${r.result}'`)
  step('identical image reused')

  const name = `sdk-context-${token}`
  snapshot = await daytona.snapshot.create(
    { name, image: Image.base('cove-base:latest').addLocalFile(join(dir, 'tool.sh'), '/opt/tool.sh') },
    { onLogs: () => {}, timeout: 600 },
  )
  expect(snapshot.state === 'active', `the snapshot is ${snapshot.state}: ${snapshot.errorReason}`)
  const fromSnapshot = await daytona.create({ snapshot: name })
  sandboxes.push(fromSnapshot)
  r = await fromSnapshot.process.executeCommand('cat /opt/tool.sh')
  expect(r.result.includes(`tool ${token}`), `the snapshot's file reads '${r.result}'`)
  step('named snapshot with a local file')
} catch (e) {
  fail(`${e.constructor.name}: ${e.message}`)
} finally {
  for (const s of sandboxes) await s.delete().catch(() => {})
  if (snapshot) await daytona.snapshot.delete(snapshot).catch(() => {})
  rmSync(dir, { recursive: true, force: true })
}
console.log('DONE')
