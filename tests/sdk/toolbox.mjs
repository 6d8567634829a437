// Drives a sandbox's toolbox through the official Daytona TypeScript SDK, unchanged: environment,
// commands, code in three languages, metrics. Prints one line per step; exits non-zero on the first
// failure. Deletes what it creates.
import { Daytona, DaytonaTimeoutError } from '@daytonaio/sdk'

const step = (name, detail = '') => console.log(`ok ${name}${detail ? ' ' + detail : ''}`)
const fail = (message) => {
  console.error(`FAILED: ${message}`)
  process.exit(1)
}
const expect = (cond, message) => cond || fail(message)
const eq = (got, want, what) => expect(got === want, `${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`)

const daytona = new Daytona()
const created = []
const make = async (params) => {
  const s = await daytona.create(params)
  created.push(s)
  return s
}

try {
  const py = await make({ language: 'python', envVars: { FROM_CREATE: 'yes' } })

  // Environment: updateEnv changes what later commands see.
  await py.updateEnv({ ADDED: 'one' }, { unset: ['FROM_CREATE'] })
  let r = await py.process.executeCommand('echo "$ADDED/$FROM_CREATE/$HOME"')
  eq(r.result, 'one///home/cove\n', 'updateEnv then exec')
  step('updateEnv')

  // Commands: exit code, combined output, cwd relative to the work dir, per-call env.
  r = await py.process.executeCommand('id -un; echo oops >&2; exit 7')
  eq(r.exitCode, 7, 'exit code')
  eq(r.result, 'cove\noops\n', 'combined output')
  await py.process.executeCommand('mkdir -p work/here')
  r = await py.process.executeCommand('pwd; echo $PER_CALL', 'work/here', { PER_CALL: 'pc' })
  eq(r.result, '/home/cove/work/here\npc\n', 'cwd and env')
  eq((await py.getWorkDir()), '/home/cove', 'work dir')
  eq((await py.getUserHomeDir()), '/home/cove', 'home dir')
  step('executeCommand')

  let timedOut = null
  try {
    await py.process.executeCommand('sleep 30', undefined, undefined, 1)
  } catch (e) {
    timedOut = e
  }
  expect(timedOut instanceof DaytonaTimeoutError, `timeout: ${timedOut && timedOut.constructor.name} ${timedOut}`)
  eq(timedOut.code, 'PROCESS_EXECUTION_TIMEOUT', 'timeout code')
  step('executeCommand timeout', timedOut.constructor.name)

  // Code: Python with argv, env and a matplotlib chart.
  r = await py.process.codeRun('import sys, os\nprint(sys.argv[1:], os.environ["K"])', { argv: ['a', 'b'], env: { K: 'v' } })
  eq(r.result, "['a', 'b'] v\n", 'python codeRun')
  r = await py.process.codeRun(
    'import matplotlib.pyplot as plt\nplt.bar(["a", "b"], [3, 5])\nplt.title("Bars")\nplt.show()\nprint("shown")'
  )
  eq(r.result, 'shown\n', 'chart output')
  eq(r.artifacts.charts.length, 1, 'charts')
  eq(r.artifacts.charts[0].type, 'bar', 'chart type')
  eq(r.artifacts.charts[0].title, 'Bars', 'chart title')
  expect(r.artifacts.charts[0].png.length > 100, 'chart png')
  step('codeRun python', `${r.artifacts.charts[0].elements.length} bar(s)`)

  for (const language of ['javascript', 'typescript']) {
    const s = await make({ language })
    const typed = language === 'typescript' ? 'const n: number = 40 + 2' : 'const n = 40 + 2'
    r = await s.process.codeRun(`${typed}\nconsole.log(n, process.argv.slice(1).join(','), process.env.K)`, {
      argv: ['x', 'y'],
      env: { K: 'kv' },
    })
    eq(r.exitCode, 0, `${language} exit`)
    eq(r.result, '42 x,y kv\n', `${language} codeRun`)
    step(`codeRun ${language}`)
  }

  const m = await py.getMetricsLatest()
  expect(m.cpuCount >= 1 && m.memTotal > 0 && m.diskTotal > 0, `metrics ${JSON.stringify(m)}`)
  step('metrics', `${m.cpuUsedPct.toFixed(1)}% cpu`)
} catch (e) {
  fail(`${e.constructor.name}: ${e.message}\n${e.stack}`)
} finally {
  for (const s of created) await s.delete().catch(() => {})
}
console.log('DONE')
