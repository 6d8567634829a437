// The toolbox's WebSocket flows through the official Daytona TypeScript SDK, unchanged: streamed session
// logs and PTYs (create with envs, input, resize, exit code, kill). Prints one line per step; exits
// non-zero on the first failure.
import { Daytona } from '@daytonaio/sdk'
import WebSocket from 'ws'
import { expect, fail, step } from './steps.mjs'

const eq = (got, want, what) => expect(got === want, `${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`)
const withTimeout = (promise, ms, what) =>
  Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms))])

// Whether a WebSocket upgrade reaches the agent through coved: one followed log of a command that is done.
const tunnels = async (sandbox) => {
  const session = 'probe'
  await sandbox.process.createSession(session)
  const { cmdId } = await sandbox.process.executeSessionCommand(session, { command: 'echo probe' })
  const url = `${sandbox.toolboxProxyUrl.replace(/\/$/, '').replace(/^http/, 'ws')}/${sandbox.id}/process/session/${session}/command/${cmdId}/logs?follow=true`
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers: { Authorization: `Bearer ${process.env.DAYTONA_API_KEY}` } })
    const timer = setTimeout(() => resolve('no answer in 5 s'), 5000)
    ws.on('message', () => {
      clearTimeout(timer)
      ws.close()
      resolve(true)
    })
    ws.on('error', (e) => {
      clearTimeout(timer)
      resolve(e.message)
    })
  })
}

const daytona = new Daytona()
let sandbox
try {
  sandbox = await daytona.create({ language: 'python' })
  const probe = await tunnels(sandbox)
  if (probe !== true) {
    await sandbox.delete().catch(() => {})
    fail(`coved does not tunnel toolbox WebSockets to the agent (${probe})`)
  }

  // Session logs, streamed: stdout and stderr apart, in order, ending when the command does.
  await sandbox.process.createSession('stream')
  const started = await sandbox.process.executeSessionCommand('stream', {
    command: 'for i in 1 2 3; do echo out-$i; echo err-$i >&2; sleep 0.2; done',
    runAsync: true,
  })
  let out = ''
  let err = ''
  await withTimeout(
    sandbox.process.getSessionCommandLogs('stream', started.cmdId, (s) => (out += s), (s) => (err += s)),
    20000,
    'streamed logs'
  )
  eq(out, 'out-1\nout-2\nout-3\n', 'streamed stdout')
  eq(err, 'err-1\nerr-2\nerr-3\n', 'streamed stderr')
  step('session logs streaming')

  // PTY: envs through the subprotocol, input, resize, exit code.
  let screen = ''
  const decoder = new TextDecoder()
  const pty = await sandbox.process.createPty({
    id: 'sdk-pty',
    cols: 100,
    rows: 30,
    envs: { GREETING: 'hello from envs' },
    onData: (data) => (screen += decoder.decode(data, { stream: true })),
  })
  await pty.sendInput('echo "[$GREETING]"\n')
  const info = await pty.resize(120, 40)
  eq(info.cols, 120, 'resize cols')
  await pty.sendInput('stty size; exit 7\n')
  const result = await withTimeout(pty.wait(), 20000, 'pty exit')
  eq(result.exitCode, 7, 'pty exit code')
  expect(screen.includes('[hello from envs]'), `pty envs: ${JSON.stringify(screen)}`)
  expect(screen.includes('40 120'), `pty resize: ${JSON.stringify(screen)}`)
  await pty.disconnect()
  step('pty', `exit ${result.exitCode}`)

  // PTY kill: the shell dies, wait() reports it.
  const victim = await sandbox.process.createPty({ id: 'sdk-pty-kill', onData: () => {} })
  expect((await sandbox.process.listPtySessions()).some((p) => p.id === 'sdk-pty-kill' && p.active), 'listPtySessions')
  await victim.kill()
  const killed = await withTimeout(victim.wait(), 20000, 'pty kill')
  eq(killed.exitCode, 137, 'killed pty exit code')
  step('pty kill', killed.error || '')
} catch (e) {
  fail(`${e.constructor.name}: ${e.message}\n${e.stack}`)
} finally {
  if (sandbox) await sandbox.delete().catch(() => {})
}
console.log('DONE')
process.exit(0)
