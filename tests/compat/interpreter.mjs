// The code interpreter and chart artifacts through the official Daytona TypeScript SDK, unchanged:
// runCode streaming its output as it comes, state kept in a context and isolated between contexts,
// contexts listed and deleted, errors with name, value and traceback, a timeout that interrupts the
// run and leaves the context usable, and every chart type codeRun reports from matplotlib. Prints one
// line per step; exits non-zero on the first failure. Deletes what it creates.
import { ChartType, Daytona } from '@daytonaio/sdk'
import { expect, fail, step } from './steps.mjs'

const eq = (got, want, what) => expect(got === want, `${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`)
const near = (got, want, what) => expect(Math.abs(got - want) < 1e-6, `${what}: got ${got}, want ${want}`)

const daytona = new Daytona()
let sandbox = null
try {
  sandbox = await daytona.create({ language: 'python' })
  const ci = sandbox.codeInterpreter

  // Streaming: the first line arrives while the code still runs. The code waits for a file that the
  // test writes only once the first chunk has come, so a batched reply could never finish in time.
  const events = []
  const flag = `/tmp/cove-interp-${Date.now()}`
  const streamed = ci.runCode(
    `import os, sys, time\nprint("first", flush=True)\nwhile not os.path.exists(${JSON.stringify(flag)}):\n` +
      `    time.sleep(0.02)\nprint("second")\nsys.stderr.write("warned\\n")\n`,
    {
      timeout: 60,
      onStdout: async (m) => {
        events.push(['out', m.output])
        if (m.output.includes('first')) await sandbox.fs.uploadFile(Buffer.from('go'), flag)
      },
      onStderr: (m) => events.push(['err', m.output]),
    },
  )
  let r = await streamed
  eq(r.stdout, 'first\nsecond\n', 'streamed stdout')
  eq(r.stderr, 'warned\n', 'streamed stderr')
  expect(r.error === undefined, `no error: ${JSON.stringify(r.error)}`)
  // print() may write its text and its newline apart: what matters is that "first" came on its own,
  // before the code could go on (it waits for the file the callback writes).
  expect(events[0][0] === 'out' && events[0][1].startsWith('first'), `first callback: ${JSON.stringify(events)}`)
  expect(events.findIndex((e) => e[1].includes('second')) > 0, `order: ${JSON.stringify(events)}`)
  step('runCode streams', `${events.length} callbacks`)

  // The default context keeps its variables between runs; envs apply to one run.
  await ci.runCode('counter = 41')
  r = await ci.runCode('import os\ncounter += 1\nprint(counter, os.environ.get("PER_RUN"))', { envs: { PER_RUN: 'yes' } })
  eq(r.stdout, '42 yes\n', 'default context state and envs')
  r = await ci.runCode('import os\nprint(os.environ.get("PER_RUN"))')
  eq(r.stdout, 'None\n', 'envs end with their run')
  step('default context keeps state')

  // Two contexts: each its own variables and directory.
  await sandbox.process.executeCommand('mkdir -p /tmp/ctx-a')
  const a = await ci.createContext('/tmp/ctx-a')
  const b = await ci.createContext()
  expect(a.id && b.id && a.id !== b.id, `context ids: ${a.id} ${b.id}`)
  eq(a.cwd, '/tmp/ctx-a', 'context cwd')
  eq(a.language, 'python', 'context language')
  eq(a.active, true, 'context active')
  await ci.runCode('x = "in a"', { context: a })
  await ci.runCode('x = "in b"', { context: b })
  r = await ci.runCode('import os\nprint(x, os.getcwd())', { context: a })
  eq(r.stdout, 'in a /tmp/ctx-a\n', 'context a')
  r = await ci.runCode('print(x)', { context: b })
  eq(r.stdout, 'in b\n', 'context b')
  r = await ci.runCode('print(x)')
  eq(r.error?.name, 'NameError', 'the default context sees neither')
  step('contexts isolated')

  let listed = await ci.listContexts()
  const ids = listed.map((c) => c.id).sort()
  eq(JSON.stringify(ids), JSON.stringify([a.id, b.id].sort()), 'listContexts (the default one is not listed)')
  await ci.deleteContext(b)
  listed = await ci.listContexts()
  eq(listed.length, 1, 'one context left')
  eq(listed[0].id, a.id, 'the one left')
  let refused = null
  try {
    await ci.runCode('print(1)', { context: b })
  } catch (e) {
    refused = e
  }
  expect(refused && /context not found/.test(refused.message), `run in a deleted context: ${refused}`)
  let notFound = null
  try {
    await ci.deleteContext(b)
  } catch (e) {
    notFound = e
  }
  expect(notFound && notFound.statusCode === 404, `deleting twice: ${notFound} ${notFound?.statusCode}`)
  step('list and delete contexts')

  // Errors: name, value and a traceback that points at the user's line.
  const errors = []
  r = await ci.runCode('def f():\n    return 1 / 0\nprint("before")\nf()\n', { context: a, onError: (e) => errors.push(e) })
  eq(r.stdout, 'before\n', 'output before the error')
  eq(r.error?.name, 'ZeroDivisionError', 'error name')
  eq(r.error?.value, 'division by zero', 'error value')
  expect(/line 4/.test(r.error?.traceback) && /line 2, in f/.test(r.error?.traceback), `traceback: ${r.error?.traceback}`)
  eq(errors.length, 1, 'onError called once')
  r = await ci.runCode('x = (', { context: a })
  eq(r.error?.name, 'SyntaxError', 'syntax error name')
  step('errors', r.error.name)

  // A timeout interrupts the run (KeyboardInterrupt inside), and the context keeps its variables.
  const t0 = Date.now()
  r = await ci.runCode('import time\nkept = "still here"\nprint("going", flush=True)\ntime.sleep(60)\nprint("never")', { context: a, timeout: 1 })
  const took = Date.now() - t0
  expect(took < 15000, `timeout took ${took} ms`)
  eq(r.stdout, 'going\n', 'output before the timeout')
  eq(r.error?.name, 'TimeoutError', 'timeout error')
  r = await ci.runCode('print(kept, x)', { context: a })
  eq(r.stdout, 'still here in a\n', 'context after a timeout')
  await ci.deleteContext(a)
  step('timeout interrupts', `${took} ms`)

  // Charts from codeRun: every type the SDK declares, typed, with their elements.
  const chartCode = `
import matplotlib.pyplot as plt
import numpy as np
x = np.linspace(0, 10, 30)
plt.figure(); plt.plot(x, np.sin(x), label='sine'); plt.title('Line'); plt.xlabel('t'); plt.ylabel('v'); plt.legend(); plt.show()
plt.figure(); dots = plt.scatter([1, 2, 3], [4, 5, 6], c=[1, 2, 3], label='dots'); plt.colorbar(dots); plt.title('Scatter'); plt.show()
plt.figure(); plt.bar(['A', 'B', 'C'], [40, 63, 15]); plt.title('Bar'); plt.show()
plt.figure(); plt.pie([1, 2, 1], labels=['x', 'y', 'z'], autopct='%1.1f%%', startangle=90); plt.title('Pie'); plt.show()
plt.figure(); plt.boxplot([[1, 2, 3, 4, 5, 6, 7, 8, 9, 30], [2, 4, 6, 8, 10]], labels=['g1', 'g2']); plt.title('Box'); plt.show()
fig, (left, right) = plt.subplots(1, 2); left.plot([1, 2], [3, 4]); right.bar(['p', 'q'], [1, 2]); fig.suptitle('Both'); plt.show()
print('drawn')
`
  const run = await sandbox.process.codeRun(chartCode)
  eq(run.exitCode, 0, `chart code exit (${run.result})`)
  eq(run.result, 'drawn\n', 'chart code output')
  const charts = run.artifacts?.charts ?? []
  eq(JSON.stringify(charts.map((c) => c.type)), JSON.stringify([ChartType.LINE, ChartType.SCATTER, ChartType.BAR, ChartType.PIE, ChartType.BOX_AND_WHISKER, ChartType.COMPOSITE_CHART]), 'chart types')
  for (const c of charts) expect(typeof c.png === 'string' && Buffer.from(c.png, 'base64').subarray(1, 4).toString() === 'PNG', `${c.type} png`)
  const [line, scatter, bar, pie, box, composite] = charts
  eq(line.title, 'Line', 'line title')
  eq(line.x_label, 't', 'line x label')
  eq(line.elements[0].label, 'sine', 'line label')
  eq(line.elements[0].points.length, 30, 'line points')
  near(line.elements[0].points[1][1], Math.sin(10 / 29), 'line point')
  eq(JSON.stringify(scatter.elements[0].points), '[[1,4],[2,5],[3,6]]', 'scatter points')
  eq(JSON.stringify(bar.elements.map((e) => [e.label, Number(e.value)])), '[["A",40],["B",63],["C",15]]', 'bar elements')
  eq(JSON.stringify(pie.elements.map((e) => e.label)), '["x","y","z"]', 'pie labels')
  near(pie.elements[0].angle, 90, 'pie angle x')
  near(pie.elements[1].angle, 180, 'pie angle y')
  eq(pie.elements[0].radius, 1, 'pie radius')
  const g1 = box.elements[0]
  eq(JSON.stringify([g1.label, g1.min, g1.first_quartile, g1.median, g1.third_quartile, g1.max, g1.outliers]), '["g1",1,3.25,5.5,7.75,9,[30]]', 'box g1')
  eq(JSON.stringify([box.elements[1].label, box.elements[1].median, box.elements[1].outliers]), '["g2",6,[]]', 'box g2')
  eq(composite.title, 'Both', 'composite title')
  eq(JSON.stringify(composite.elements.map((e) => e.type)), '["line","bar"]', 'composite sub-charts')
  eq(JSON.stringify(composite.elements[1].elements.map((e) => e.label)), '["p","q"]', 'composite bar labels')
  step('charts', charts.map((c) => c.type).join(' '))

  await daytona.delete(sandbox)
  sandbox = null
  console.log('DONE')
} catch (e) {
  fail(`${e?.constructor?.name}: ${e?.message ?? e}`)
} finally {
  if (sandbox) await daytona.delete(sandbox).catch(() => {})
}
