// SSH access through the official Daytona TypeScript SDK, unchanged: createSshAccess, the command it
// hands back run with Debian's ssh, validateSshAccess, revokeSshAccess. Prints one line per step; exits
// non-zero on the first failure. Deletes what it creates.
import { Daytona } from '@daytonaio/sdk'
import { execFileSync } from 'node:child_process'
import { expect, fail, step } from './steps.mjs'

const eq = (got, want, what) => expect(got === want, `${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`)
const options = ['-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'BatchMode=yes',
  '-o', 'LogLevel=ERROR', '-F', '/dev/null']
// Runs `sshCommand` as a person pastes it, with a command after it; the exit code and output.
const runSsh = (sshCommand, command) => {
  const words = sshCommand.split(' ')
  expect(words[0] === 'ssh', `sshCommand starts with ssh: ${sshCommand}`)
  try {
    return { code: 0, out: execFileSync('ssh', [...options, ...words.slice(1), command], { timeout: 60000, stdio: ['ignore', 'pipe', 'pipe'] }).toString() }
  } catch (e) {
    return { code: e.status ?? -1, out: String(e.stdout ?? '') }
  }
}

const daytona = new Daytona()
let sandbox
try {
  sandbox = await daytona.create()
  const access = await sandbox.createSshAccess(5)
  expect(/^[0-9a-f]{48}$/.test(access.token), `token: ${access.token}`)
  eq(access.sandboxId, sandbox.id, 'sandboxId')
  expect(access.sshCommand.endsWith(`${access.token}@127.0.0.1`), `sshCommand: ${access.sshCommand}`)
  const minutes = (new Date(access.expiresAt) - new Date(access.createdAt)) / 60000
  eq(minutes, 5, 'expiry in minutes')
  step('createSshAccess')

  const r = runSsh(access.sshCommand, 'echo "$(whoami) in $(hostname)"; exit 4')
  eq(r.code, 4, 'exit status')
  expect(r.out.startsWith(`${sandbox.user} in `), `output: ${r.out}`)
  step('ssh with the command')

  let v = await sandbox.validateSshAccess(access.token)
  eq(v.valid, true, 'valid')
  eq(v.sandboxId, sandbox.id, 'validated sandboxId')
  step('validateSshAccess')

  await sandbox.revokeSshAccess(access.token)
  v = await sandbox.validateSshAccess(access.token)
  eq(v.valid, false, 'valid after revoke')
  eq(runSsh(access.sshCommand, 'true').code, 255, 'ssh after revoke')
  step('revokeSshAccess')
  console.log('DONE')
} catch (e) {
  fail(e?.stack ?? String(e))
} finally {
  if (sandbox)
    await daytona.delete(sandbox).catch(() => {})
}
