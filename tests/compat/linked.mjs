// Linked sandboxes through the official Daytona TypeScript SDK, unchanged, as Daytona's example
// exec-command/linked.ts runs them: an owner serves HTTP on port 3000 and an ephemeral follower made with
// `linkedSandbox` reaches it by the owner's name. Then what is refused (an unknown sandbox, a follower
// that is not ephemeral, a chain) and that deleting the owner deletes its followers. Prints one line per
// step; exits non-zero on the first failure. Deletes what it creates.
import { Daytona, DaytonaError, DaytonaNotFoundError } from '@daytonaio/sdk'
import { expect, fail, step, waitFor } from './steps.mjs'

const daytona = new Daytona()
const made = []
const refused = async (params, errorClass, what) => {
  try {
    made.push(await daytona.create(params))
  } catch (e) {
    expect(e instanceof errorClass && /[a-z] [a-z]/.test(e.message), `${what}: ${e.constructor.name} ${e.message}`)
    return e.message
  }
  fail(`${what} was made`)
}

try {
  const owner = await daytona.create()
  made.push(owner)
  const follower = await daytona.create({ linkedSandbox: owner.id, ephemeral: true })
  made.push(follower)
  expect(follower.linkedSandboxId === owner.id, `follower.linkedSandboxId is ${follower.linkedSandboxId}`)
  expect(follower.autoDeleteInterval === 0, `the follower's autoDeleteInterval is ${follower.autoDeleteInterval}`)
  step('create')

  // As linked.ts, with the server written so it does not wait on a reverse DNS lookup as it binds.
  const start = await owner.process.executeCommand(`set -e
mkdir -p /tmp/lnk && cd /tmp/lnk && echo 'hello from owner' > index.html
nohup python3 -c 'import http.server as h, socketserver as s; s.TCPServer(("", 3000), h.SimpleHTTPRequestHandler).serve_forever()' > srv.log 2>&1 &
for _ in $(seq 1 100); do curl -s --max-time 1 http://127.0.0.1:3000/ >/dev/null && echo READY && exit 0; sleep 0.1; done
cat srv.log; exit 1`, undefined, undefined, 30)
  expect(start.exitCode === 0 && start.result.includes('READY'), `the owner's server: ${start.result}`)
  const curl = await follower.process.executeCommand(`curl -sS --max-time 5 http://${owner.name}:3000/`, undefined,
    undefined, 10)
  expect(curl.exitCode === 0 && curl.result.trim() === 'hello from owner', `the follower got: ${curl.result}`)
  step('follower reaches owner by name')

  await refused({ linkedSandbox: 'no-such-sandbox-anywhere', ephemeral: true }, DaytonaNotFoundError, 'unknown')
  await refused({ linkedSandbox: owner.id }, DaytonaError, 'not ephemeral')
  const chain = await refused({ linkedSandbox: follower.id, ephemeral: true }, DaytonaError, 'a chain')
  expect(/chain/.test(chain), `a chain refused with: ${chain}`)
  step('refused')

  await daytona.delete(follower)
  const second = await daytona.create({ linkedSandbox: owner.name, ephemeral: true })
  made.push(second)
  expect(second.linkedSandboxId === owner.id, `linked by name: ${second.linkedSandboxId}`)
  await daytona.delete(owner)
  await waitFor(async () => {
    try {
      const s = await daytona.get(second.id)
      return s.state === 'destroyed'
    } catch (e) {
      return e instanceof DaytonaNotFoundError
    }
  }, 30000, 'the follower to go with its owner')
  step('followers go with their owner')
  made.length = 0
  console.log('DONE')
} finally {
  for (const s of made.reverse()) await daytona.delete(s).catch(() => {})
}
