// Time to interactive, measured as ComputeSDK's public benchmarks measure sandbox providers: the wall
// clock from the SDK's create() to the end of the first command (`echo "benchmark"`) in the new
// sandbox, through the official Daytona SDK, unchanged. The sandbox is deleted afterwards, untimed.
//   node tests/bench/tti.mjs MODE [ITERATIONS]      (DAYTONA_API_URL and DAYTONA_API_KEY as the SDK reads;
//   build/tests/bench_tti runs each mode against a coved of its own)
// MODE: sequential (one at a time, each deleted before the next), staggered (one launched every 200 ms),
// burst (all launched at once). Prints one JSON object: the mode, each iteration's milliseconds (null when
// it failed), the failures' messages and the summary figures.
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'

// The SDK the compatibility tests pin (tests/compat/package-lock.json).
const require = createRequire(new URL('../compat/package.json', import.meta.url))
const { Daytona } = await import(pathToFileURL(require.resolve('@daytonaio/sdk')).href)

const mode = process.argv[2]
const iterations = Number(process.argv[3] ?? 100)
const staggerMs = 200
if (!['sequential', 'staggered', 'burst'].includes(mode) || !(iterations > 0)) {
  console.error('usage: tti.mjs sequential|staggered|burst [ITERATIONS]')
  process.exit(2)
}

const daytona = new Daytona()
const failures = []

async function once () {
  const start = performance.now()
  let sandbox
  try {
    sandbox = await daytona.create({ labels: { bench: 'tti' } })
    const run = await sandbox.process.executeCommand('echo "benchmark"')
    if (run.exitCode !== 0 || run.result.trim() !== 'benchmark') throw new Error(`echo answered ${run.exitCode}: ${run.result}`)
    return performance.now() - start
  } catch (e) {
    failures.push(String(e?.message ?? e))
    return null
  } finally {
    if (sandbox) await sandbox.delete().catch(e => failures.push(`delete: ${e?.message ?? e}`))
  }
}

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms))
let ms = []
if (mode === 'sequential') {
  for (let i = 0; i < iterations; i++) ms.push(await once())
} else {
  const runs = []
  for (let i = 0; i < iterations; i++) {
    runs.push(once())
    if (mode === 'staggered' && i + 1 < iterations) await sleep(staggerMs)
  }
  ms = await Promise.all(runs)
}

// What a sandbox made under this label and left behind (a delete that failed) goes too.
for await (const s of daytona.list({ labels: { bench: 'tti' } })) await s.delete().catch(() => {})

const ok = ms.filter(v => v !== null).sort((a, b) => a - b)
const pct = p => ok.length ? ok[Math.min(ok.length - 1, Math.floor(p * ok.length))] : null
const round = v => v === null ? null : Math.round(v * 10) / 10
console.log(JSON.stringify({
  mode,
  iterations,
  succeeded: ok.length,
  min: round(ok[0] ?? null),
  median: round(pct(0.5)),
  p95: round(pct(0.95)),
  p99: round(pct(0.99)),
  max: round(ok.at(-1) ?? null),
  mean: round(ok.length ? ok.reduce((a, b) => a + b, 0) / ok.length : null),
  ms: ms.map(round),
  failures: failures.slice(0, 10)
}))
