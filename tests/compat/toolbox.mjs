// Drives a sandbox's toolbox through the official Daytona TypeScript SDK, unchanged: environment,
// commands, code in three languages, files, sessions, git, metrics. Prints one line per step; exits non-zero on the first
// failure. Deletes what it creates.
import { Daytona, DaytonaTimeoutError } from '@daytonaio/sdk'
import { expect, fail, step } from './steps.mjs'

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
  // The sandbox user's home, read from the image itself, not from the toolbox under test.
  const home = (await py.process.executeCommand('getent passwd "$(id -un)" | cut -d: -f6')).result.trim()
  expect(home.startsWith('/'), `home directory: ${JSON.stringify(home)}`)

  // Environment: updateEnv changes what later commands see.
  await py.updateEnv({ ADDED: 'one' }, { unset: ['FROM_CREATE'] })
  let r = await py.process.executeCommand('echo "$ADDED/$FROM_CREATE/$HOME"')
  eq(r.result, `one//${home}\n`, 'updateEnv then exec')
  step('updateEnv')

  // Commands: exit code, combined output, cwd relative to the work dir, per-call env.
  r = await py.process.executeCommand('id -un; echo oops >&2; exit 7')
  eq(r.exitCode, 7, 'exit code')
  eq(r.result, 'cove\noops\n', 'combined output')
  await py.process.executeCommand('mkdir -p project/here')
  r = await py.process.executeCommand('pwd; echo $PER_CALL', 'project/here', { PER_CALL: 'pc' })
  eq(r.result, `${home}/project/here\npc\n`, 'cwd and env')
  eq((await py.getWorkDir()), home, 'work dir (the image sets WORKDIR to the home)')
  eq((await py.getUserHomeDir()), home, 'home dir')
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

  // Files: upload (multipart, chunked), list, details, find/search/replace, move, permissions,
  // download (multipart parts matched by path), errors with Daytona's classes.
  const fs = py.fs
  const big = Buffer.alloc(5 * 1024 * 1024)
  for (let i = 0; i < big.length; i++) big[i] = (i * 31) % 251
  await fs.uploadFile(big, 'data/big.bin')
  await fs.uploadFiles([
    { source: Buffer.from('hello needle\n'), destination: 'data/notes/a.txt' },
    { source: Buffer.from('second\n'), destination: '/tmp/b.txt' },
  ])
  const listed = (await fs.listFiles('data')).map((f) => f.name).sort()
  eq(JSON.stringify(listed), '["big.bin","notes"]', 'listFiles')
  const details = await fs.getFileDetails('data/big.bin')
  eq(details.size, big.length, 'getFileDetails size')
  eq(details.isDir, false, 'getFileDetails isDir')
  await fs.createFolder('data/empty', '755')
  eq((await fs.getFileDetails('data/empty')).isDir, true, 'createFolder')
  const found = await fs.findFiles('data', 'needle')
  eq(found.length, 1, 'findFiles')
  eq(found[0].line, 1, 'findFiles line')
  const searched = await fs.searchFiles('data', '*.txt')
  eq(JSON.stringify(searched.files), JSON.stringify([`${home}/data/notes/a.txt`]), 'searchFiles')
  const replaced = await fs.replaceInFiles(['data/notes/a.txt'], 'needle', 'pin')
  eq(replaced[0].success, true, 'replaceInFiles')
  await fs.moveFiles('data/notes/a.txt', 'data/a.txt')
  await fs.setFilePermissions('data/a.txt', { mode: '600' })
  eq((await fs.getFileDetails('data/a.txt')).permissions, '0600', 'setFilePermissions')
  const back = await fs.downloadFile('data/big.bin')
  expect(Buffer.compare(back, big) === 0, 'downloadFile content')
  eq((await fs.downloadFile('data/a.txt')).toString(), 'hello pin\n', 'download after replace/move')
  const many = await fs.downloadFiles([{ source: '/tmp/b.txt' }, { source: 'data/missing.txt' }])
  eq(many[0].result.toString(), 'second\n', 'downloadFiles ok part')
  expect(many[1].error && /not found|no such file/i.test(many[1].error), `downloadFiles error part: ${many[1].error}`)
  let missing = null
  try {
    await fs.downloadFile('data/missing.txt')
  } catch (e) {
    missing = e
  }
  expect(missing && /NotFound/.test(missing.constructor.name), `missing download: ${missing && missing.constructor.name}`)
  let notFound = null
  try {
    await fs.getFileDetails('data/none')
  } catch (e) {
    notFound = e
  }
  expect(notFound && notFound.constructor.name === 'DaytonaFileNotFoundError', `getFileDetails missing: ${notFound && notFound.constructor.name}`)
  await fs.deleteFile('data', true)
  notFound = null
  try {
    await fs.getFileDetails('data')
  } catch (e) {
    notFound = e
  }
  expect(notFound !== null, 'deleteFile recursive')
  step('files', `${back.length} bytes round trip`)

  // Sessions: state persists between commands; async commands report later; input reaches them.
  await py.process.createSession('sdk-session')
  r = await py.process.executeSessionCommand('sdk-session', { command: 'cd /tmp && export S=kept' })
  eq(r.exitCode, 0, 'session exec')
  r = await py.process.executeSessionCommand('sdk-session', { command: 'echo $(pwd) $S; echo e >&2' })
  eq(r.stdout, '/tmp kept\n', 'session state')
  eq(r.stderr, 'e\n', 'session stderr')
  const started = await py.process.executeSessionCommand('sdk-session', {
    command: 'read v; echo in:$v',
    runAsync: true,
  })
  expect(started.cmdId, 'async cmdId')
  await py.process.sendSessionCommandInput('sdk-session', started.cmdId, 'typed\n')
  let cmd
  for (let i = 0; i < 100; i++) {
    cmd = await py.process.getSessionCommand('sdk-session', started.cmdId)
    if (cmd.exitCode !== undefined && cmd.exitCode !== null) break
    await new Promise((res) => setTimeout(res, 50))
  }
  eq(cmd.exitCode, 0, 'async exit code')
  const logs = await py.process.getSessionCommandLogs('sdk-session', started.cmdId)
  eq(logs.stdout, 'in:typed\n', 'session logs')
  const session = await py.process.getSession('sdk-session')
  eq(session.commands.length, 3, 'session commands')
  expect((await py.process.listSessions()).some((x) => x.sessionId === 'sdk-session'), 'listSessions')
  await py.process.deleteSession('sdk-session')
  step('sessions')

  // Git through the image's git: a bare repository made inside the sandbox, cloned with credentials
  // (which must not stay anywhere), branches, add, commit, push, pull.
  await py.process.executeCommand(
    'set -e; git init -q --bare -b main /tmp/r.git; git init -q -b main /tmp/seed; cd /tmp/seed; echo one > a.txt; ' +
      'git add a.txt; git -c user.name=S -c user.email=s@x commit -qm seed; git push -q /tmp/r.git main'
  )
  await py.git.clone('file:///tmp/r.git', 'repo', undefined, undefined, 'alice', 'pw-not-kept')
  let st = await py.git.status('repo')
  eq(st.currentBranch, 'main', 'git status branch')
  eq(st.fileStatus.length, 0, 'git status clean')
  r = await py.process.executeCommand('grep -rl pw-not-kept repo/.git | wc -l')
  eq(r.result.trim(), '0', 'no credentials in .git')
  await py.git.createBranch('repo', 'feat')
  const br = await py.git.branches('repo')
  eq(JSON.stringify(br.branches), '["feat","main"]', 'git branches')
  await py.git.checkoutBranch('repo', 'main')
  await py.git.deleteBranch('repo', 'feat')
  await py.fs.uploadFile(Buffer.from('two\n'), 'repo/b.txt')
  st = await py.git.status('repo')
  eq(st.fileStatus[0].name, 'b.txt', 'git status untracked')
  await py.git.add('repo', ['.'])
  const committed = await py.git.commit('repo', 'second', 'Ann', 'ann@example.com')
  eq(committed.sha.length, 40, 'git commit sha')
  await py.git.push('repo')
  r = await py.process.executeCommand('git --git-dir=/tmp/r.git log -1 --format=%an%s main')
  eq(r.result, 'Annsecond\n', 'pushed commit')
  await py.process.executeCommand(
    'set -e; git clone -q /tmp/r.git /tmp/other; cd /tmp/other; echo three > c.txt; git add c.txt; ' +
      'git -c user.name=O -c user.email=o@x commit -qm third; git push -q origin main'
  )
  await py.git.pull('repo')
  eq((await py.fs.downloadFile('repo/c.txt')).toString(), 'three\n', 'git pull')
  let gitError = null
  try {
    await py.git.checkoutBranch('repo', 'nope')
  } catch (e) {
    gitError = e
  }
  eq(gitError && gitError.constructor.name, 'DaytonaGitBranchNotFoundError', 'git error class')
  step('git')

  // The newer git calls: config at each scope, remotes, restore, reset and stored credentials.
  await py.git.configureUser('Bea', 'bea@example.com')
  eq(await py.git.getConfig('user.email'), 'bea@example.com', 'git configureUser')
  await py.git.setConfig('core.editor', 'vi -n', 'local', 'repo')
  eq(await py.git.getConfig('core.editor', 'local', 'repo'), 'vi -n', 'git setConfig local')
  eq(await py.git.getConfig('core.editor'), undefined, 'git getConfig global unset')
  r = await py.process.executeCommand('git -C repo config --local core.editor')
  eq(r.result, 'vi -n\n', 'git setConfig in .git/config')
  eq(JSON.stringify((await py.git.remotes('repo')).remotes), '[{"name":"origin","url":"file:///tmp/r.git"}]', 'git remotes')
  await py.git.remoteAdd('repo', 'mirror', '/tmp/r.git', true)
  eq(await py.git.remoteGet('repo', 'mirror'), '/tmp/r.git', 'git remoteAdd')
  r = await py.process.executeCommand('git -C repo rev-parse --verify -q refs/remotes/mirror/main >/dev/null && echo fetched')
  eq(r.result, 'fetched\n', 'git remoteAdd fetch')
  await py.git.remoteAdd('repo', 'mirror', '/tmp/other', false, true)
  eq(await py.git.remoteGet('repo', 'mirror'), '/tmp/other', 'git remoteAdd overwrite')
  eq(await py.git.remoteGet('repo', 'none'), undefined, 'git remoteGet absent')
  await py.fs.uploadFile(Buffer.from('changed\n'), 'repo/a.txt')
  await py.git.restore('repo', ['a.txt'])
  eq((await py.fs.downloadFile('repo/a.txt')).toString(), 'one\n', 'git restore')
  await py.fs.uploadFile(Buffer.from('d\n'), 'repo/d.txt')
  await py.git.add('repo', ['d.txt'])
  await py.git.reset('repo')
  r = await py.process.executeCommand('git -C repo diff --cached --name-only | wc -l')
  eq(r.result.trim(), '0', 'git reset unstages')
  await py.git.reset('repo', 'hard', 'HEAD~1')
  r = await py.process.executeCommand('git -C repo rev-list --count HEAD')
  eq(r.result, '2\n', 'git reset hard')
  r = await py.process.executeCommand('test -e repo/c.txt || echo gone')
  eq(r.result, 'gone\n', 'git reset hard drops the commit\'s file')
  await py.git.dangerouslyAuthenticate('ann', 'tok-kept-here', 'git.example.com')
  r = await py.process.executeCommand("printf 'protocol=https\\nhost=git.example.com\\n\\n' | git credential fill")
  expect(r.result.includes('username=ann\npassword=tok-kept-here\n'), `git credential fill: ${r.result}`)
  step('git config, remotes, restore, reset, credentials')

  const m = await py.getMetricsLatest()
  expect(m.cpuCount >= 1 && m.memTotal > 0 && m.diskTotal > 0, `metrics ${JSON.stringify(m)}`)
  step('metrics', `${m.cpuUsedPct.toFixed(1)}% cpu`)

  // Telemetry: the sandbox's own disk (its size, not the volume's), which grows by what it writes once
  // btrfs commits (a sync); coved's history through getMetrics; the main process's output as logs.
  const api = async (path) => {
    const res = await fetch(`${process.env.DAYTONA_API_URL}${path}`, { headers: { Authorization: `Bearer ${process.env.DAYTONA_API_KEY}` } })
    expect(res.ok, `${path}: ${res.status} ${await res.clone().text()}`)
    return res.json()
  }
  const enforced = (await api('/info')).engine.diskLimits
  if (enforced) eq(m.diskTotal, py.disk * 2 ** 30, 'getMetricsLatest diskTotal is the sandbox disk size')
  await py.process.executeCommand('dd if=/dev/urandom of=big.bin bs=1M count=64 status=none && sync')
  const grown = await py.getMetricsLatest()
  if (enforced) expect(grown.diskUsed >= m.diskUsed + 60 * 2 ** 20, `disk use grew by the 64 MiB written: ${m.diskUsed} -> ${grown.diskUsed}`)
  const history = await py.getMetrics(new Date(Date.now() - 3600e3), new Date(Date.now() + 1e3))
  expect(history.length >= 1, `getMetrics: ${JSON.stringify(history)}`)
  const lastPoint = history[history.length - 1]
  expect(lastPoint.timestamp instanceof Date && lastPoint.cpuCount >= 1 && lastPoint.memTotal > 0 && lastPoint.diskUsed >= 0,
    `getMetrics point: ${JSON.stringify(lastPoint)}`)
  if (enforced) eq(lastPoint.diskTotal, py.disk * 2 ** 30, 'getMetrics diskTotal')
  eq((await py.getMetrics(new Date(Date.now() - 86400e3), new Date(Date.now() - 82800e3))).length, 0, 'getMetrics of a range before the sandbox')
  const range = `from=${new Date(Date.now() - 3600e3).toISOString()}&to=${new Date(Date.now() + 5e3).toISOString()}`
  const page = await api(`/sandbox/${py.id}/telemetry/logs?${range}&limit=5`)
  expect(Array.isArray(page.items) && page.page === 1 && page.items.length <= 5 && page.total >= page.items.length,
    `telemetry logs page: ${JSON.stringify(page).slice(0, 300)}`)
  eq((await api(`/sandbox/${py.id}/telemetry/traces?${range}`)).total, 0, 'telemetry traces (none kept)')
  step('telemetry', `disk ${(grown.diskUsed / 2 ** 20).toFixed(0)} of ${(grown.diskTotal / 2 ** 30).toFixed(0)} GiB`)
} catch (e) {
  fail(`${e.constructor.name}: ${e.message}\n${e.stack}`)
} finally {
  for (const s of created) await s.delete().catch(() => {})
}
console.log('DONE')
