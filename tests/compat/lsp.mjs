// The toolbox's language servers through the official Daytona TypeScript SDK, unchanged: a TypeScript,
// a JavaScript and a Python project written into a sandbox, each served by its real language server
// (typescript-language-server, pylsp): start, open a file, its symbols with their ranges, a workspace
// symbol search, member completions after `obj.`, close, stop; then the entrypoint session the SDK
// reads through the same toolbox. Prints one line per step; exits non-zero on the first failure.
// Deletes what it creates.
import { Daytona } from '@daytonaio/sdk'
import { expect, fail, step } from './steps.mjs'

// Symbol names, and completion labels without the signature pylsp adds ("deposit(amount)").
const names = (list) => list.map((s) => s.name ?? s.label.replace(/\(.*$/, ''))
const has = (list, wanted, what) =>
  wanted.forEach((w) => expect(names(list).includes(w), `${what}: ${w} missing from ${JSON.stringify(names(list))}`))
const refusal = async (call) => {
  try {
    await call()
  } catch (e) {
    return e.message
  }
  return ''
}

const projects = {
  typescript: {
    dir: 'ts-project',
    files: {
      'tsconfig.json': '{ "compilerOptions": { "strict": true, "target": "es2020" }, "include": ["src"] }\n',
      'src/shapes.ts': [
        'export class Circle {',
        '  constructor(public radius: number) {}',
        '  area(): number { return Math.PI * this.radius ** 2 }',
        '  circumference(): number { return 2 * Math.PI * this.radius }',
        '}',
        '',
        'export function makeCircle(r: number): Circle { return new Circle(r) }',
        '',
      ].join('\n'),
      'src/index.ts': ["import { makeCircle } from './shapes'", 'const shape = makeCircle(2)', 'shape.', ''].join('\n'),
    },
    symbolsOf: 'src/shapes.ts',
    symbols: { Circle: [5, 0], area: [6, 2], makeCircle: [12, 6] }, // kind and first line
    query: 'makeCirc',
    found: 'makeCircle',
    completeIn: 'src/index.ts',
    at: { line: 2, character: 6 },
    members: ['area', 'circumference', 'radius'],
  },
  javascript: {
    dir: 'js-project',
    files: {
      'lib.js': [
        'class Counter {',
        '  constructor() { this.count = 0 }',
        '  increment() { this.count += 1; return this.count }',
        '}',
        'function makeCounter() { return new Counter() }',
        'module.exports = { Counter, makeCounter }',
        '',
      ].join('\n'),
      'main.js': ["const { makeCounter } = require('./lib')", 'const counter = makeCounter()', 'counter.', ''].join('\n'),
    },
    symbolsOf: 'lib.js',
    symbols: { Counter: [5, 0], increment: [6, 2], makeCounter: [12, 4] },
    query: 'makeCou',
    found: 'makeCounter',
    completeIn: 'main.js',
    at: { line: 2, character: 8 },
    members: ['count', 'increment'],
  },
  python: {
    dir: 'py-project',
    files: {
      'models.py': [
        'class Account:',
        '    def __init__(self, owner):',
        '        self.owner = owner',
        '        self.balance = 0',
        '',
        '    def deposit(self, amount):',
        '        self.balance += amount',
        '',
        '',
        'def open_account(owner):',
        '    return Account(owner)',
        '',
      ].join('\n'),
      'main.py': ['from models import open_account', '', 'acct = open_account("ada")', 'acct.', ''].join('\n'),
    },
    symbolsOf: 'models.py',
    symbols: { Account: [5, 0], deposit: [6, 5], open_account: [12, 9] },
    query: 'acc',
    found: 'Account',
    completeIn: 'main.py',
    at: { line: 3, character: 5 },
    members: ['balance', 'deposit', 'owner'],
  },
}

const daytona = new Daytona()
let sandbox
try {
  sandbox = await daytona.create()
  const home = await sandbox.getWorkDir()
  for (const p of Object.values(projects))
    for (const [name, text] of Object.entries(p.files))
      await sandbox.fs.uploadFile(Buffer.from(text), `${home}/${p.dir}/${name}`)
  step('projects written')

  for (const [language, p] of Object.entries(projects)) {
    // A relative pathToProject is taken from the sandbox's working directory, as Daytona's is.
    const lsp = await sandbox.createLspServer(language, p.dir)
    const notStarted = await refusal(() => lsp.documentSymbols(`${home}/${p.dir}/${p.symbolsOf}`))
    expect(notStarted.includes('start one first'), `${language} symbols before start: ${notStarted}`)
    await lsp.start()
    await lsp.start() // a second start is a no-op
    step(`${language} start`)

    const source = `${home}/${p.dir}/${p.symbolsOf}`
    await lsp.didOpen(source)
    await lsp.didOpen(`${home}/${p.dir}/${p.completeIn}`)
    const symbols = await lsp.documentSymbols(source)
    has(symbols, Object.keys(p.symbols), `${language} document symbols`)
    // (A name may come twice: JavaScript's `module.exports = { Counter }` is a property named Counter.)
    for (const [name, [kind, line]] of Object.entries(p.symbols)) {
      const s = symbols.find((x) => x.name === name && x.kind === kind)
      expect(s, `no ${name} of kind ${kind} in ${JSON.stringify(symbols.filter((x) => x.name === name))}`)
      expect(s.location.range.start.line === line, `${name} starts on line ${s.location.range.start.line}, want ${line}`)
      expect(s.location.range.end.line >= line, `${name} ends before it starts`)
      expect(s.location.uri.endsWith(p.symbolsOf), `${name} in ${s.location.uri}`)
    }
    step(`${language} documentSymbols`, names(symbols).join(','))

    const found = await lsp.workspaceSymbols(p.query)
    has(found, [p.found], `${language} workspace symbols for '${p.query}'`)
    expect(found.find((s) => s.name === p.found).location.uri.endsWith(p.symbolsOf), `${p.found} location`)
    const same = await lsp.sandboxSymbols(p.query)
    has(same, [p.found], `${language} sandbox symbols for '${p.query}'`)
    step(`${language} workspaceSymbols`)

    const completions = await lsp.completions(`${home}/${p.dir}/${p.completeIn}`, p.at)
    has(completions.items, p.members, `${language} completions`)
    expect(typeof completions.isIncomplete === 'boolean', 'isIncomplete')
    step(`${language} completions`, `${completions.items.length} items`)

    await lsp.didClose(source)
    await lsp.didClose(`${home}/${p.dir}/${p.completeIn}`)
    await lsp.stop()
    const stopped = await refusal(() => lsp.completions(`${home}/${p.dir}/${p.completeIn}`, p.at))
    expect(stopped.includes('start one first'), `completions after stop: ${stopped}`)
    step(`${language} stop`)
  }

  // The image's own command, as the SDK reads it through the same toolbox.
  const entrypoint = await sandbox.process.getEntrypointSession()
  expect(entrypoint.sessionId === 'entrypoint', `entrypoint session id ${entrypoint.sessionId}`)
  expect(entrypoint.commands?.length === 1 && entrypoint.commands[0].command.length > 0, 'entrypoint command')
  const logs = await sandbox.process.getEntrypointLogs()
  expect(typeof logs.output === 'string' && typeof logs.stderr === 'string', 'entrypoint logs')
  step('entrypoint session', entrypoint.commands[0].command)

  const missing = await refusal(() => sandbox.createLspServer('python', '/no/such/project').then((l) => l.start()))
  expect(missing.includes('/no/such/project does not exist'), `missing project: ${missing}`)
  step('missing project')
  console.log('DONE')
} catch (e) {
  fail(e.stack || e.message)
} finally {
  if (sandbox) await daytona.delete(sandbox).catch(() => {})
}
