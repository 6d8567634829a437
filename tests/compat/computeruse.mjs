// Computer use through the official Daytona TypeScript SDK, unchanged: start the desktop of a
// cove-desktop sandbox, move the mouse, type, take screenshots, record the screen, drive a dialog
// through its accessibility tree, stop. Prints one line per step; exits
// non-zero on the first failure. Deletes what it creates.
import { Daytona } from '@daytonaio/sdk'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, fail, step, waitFor } from './steps.mjs'

const eq = (got, want, what) => expect(got === want, `${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`)
// Width and height from a PNG's IHDR, or from a JPEG's first SOF marker.
const size = (b64) => {
  const b = Buffer.from(b64, 'base64')
  if (b.subarray(1, 4).toString() === 'PNG') return [b.readUInt32BE(16), b.readUInt32BE(20), 'png']
  for (let i = 2; i < b.length - 9; ) {
    const marker = b[i + 1]
    if (marker >= 0xc0 && marker <= 0xc2) return [b.readUInt16BE(i + 7), b.readUInt16BE(i + 5), 'jpeg']
    i += 2 + b.readUInt16BE(i + 2)
  }
  return [0, 0, 'unknown']
}

const daytona = new Daytona()
let sandbox
try {
  sandbox = await daytona.create({ snapshot: 'cove-desktop' })
  const cu = sandbox.computerUse
  const started = await cu.start()
  for (const name of ['xvfb', 'openbox', 'x11vnc']) expect(started.status[name]?.running, `${name} running after start`)
  eq((await cu.getStatus()).status, 'active', 'status')
  step('start')

  const moved = await cu.mouse.move(100, 150)
  eq(moved.x, 100, 'moved x')
  const at = await cu.mouse.getPosition()
  eq(`${at.x},${at.y}`, '100,150', 'position')
  await cu.mouse.click(300, 300)
  eq(await cu.mouse.scroll(300, 300, 'down', 2), true, 'scroll')
  step('mouse')

  await cu.keyboard.type('hello')
  await cu.keyboard.press('enter')
  await cu.keyboard.hotkey('ctrl+a')
  step('keyboard')

  const full = await cu.screenshot.takeFullScreen()
  eq(size(full.screenshot).join('x'), '1024x768xpng', 'full screenshot')
  const small = await cu.screenshot.takeCompressed({ format: 'jpeg', quality: 60, scale: 0.5 })
  eq(size(small.screenshot).join('x'), '512x384xjpeg', 'compressed screenshot')
  const region = await cu.screenshot.takeCompressedRegion({ x: 10, y: 10, width: 300, height: 200 })
  eq(size(region.screenshot).join('x'), '300x200xpng', 'region screenshot')
  // SDK 0.218's takeRegion passes (height, width, y, x) where its client takes (x, y, width, height):
  // the toolbox answers what it was sent, as Daytona's does, so this region comes back 50x100.
  const swapped = await cu.screenshot.takeRegion({ x: 100, y: 50, width: 300, height: 200 })
  eq(size(swapped.screenshot).join('x'), '50x100xpng', 'takeRegion as the SDK sends it')
  const info = await cu.display.getInfo()
  eq(info.displays[0].width, 1024, 'display width')
  step('screenshots')

  let refused = ''
  try {
    await cu.mouse.move(5000, 1)
  } catch (e) {
    refused = e.message
  }
  expect(refused.includes("'x' must be an integer between 0 and 1023"), `out-of-range move: ${refused}`)
  step('bad input')

  const rec = await cu.recording.start('compat run')
  eq(rec.status, 'recording', 'recording status')
  expect(rec.fileName.startsWith(`${rec.id}_compat run_`) && rec.fileName.endsWith('.mp4'), `file name ${rec.fileName}`)
  await cu.mouse.move(400, 300)
  await cu.keyboard.type('recorded')
  const done = await cu.recording.stop(rec.id)
  eq(done.status, 'completed', 'stopped recording status')
  expect(done.durationSeconds > 0 && done.sizeBytes > 0, `duration and size: ${JSON.stringify(done)}`)
  const listed = await cu.recording.list()
  expect(listed.recordings.some((r) => r.id === rec.id), 'listed')
  eq((await cu.recording.get(rec.id)).sizeBytes, done.sizeBytes, 'get sizeBytes')
  const dir = mkdtempSync(join(tmpdir(), 'cove-rec-'))
  const local = join(dir, 'r.mp4')
  await cu.recording.download(rec.id, local)
  const bytes = readFileSync(local)
  rmSync(dir, { recursive: true })
  eq(bytes.length, done.sizeBytes, 'downloaded size')
  eq(bytes.subarray(4, 8).toString(), 'ftyp', 'MP4 header')
  const probe = await sandbox.process.executeCommand(
    `ffprobe -v error -show_entries format=duration -of csv=p=0 '${done.filePath}'`,
  )
  expect(Number(probe.result) > 0, `ffprobe duration: ${probe.result}`)
  await cu.recording.delete(rec.id)
  let gone = ''
  try {
    await cu.recording.get(rec.id)
  } catch (e) {
    gone = e.message
  }
  expect(gone.includes('No recording'), `deleted recording: ${gone}`)
  step('recording')

  const a11y = cu.accessibility
  await sandbox.process.createSession('dialog')
  const asked = await sandbox.process.executeSessionCommand('dialog', {
    command: "zenity --entry --title=CoveCompat --text='Your name'",
    runAsync: true,
  })
  const ok = await waitFor(
    async () => (await a11y.findNodes({ scope: 'all', role: 'button', name: 'OK' })).matches?.[0],
    20000,
    "zenity's OK button",
  )
  eq(ok.role, 'push button', 'OK role')
  const tree = await a11y.getTree({ scope: 'focused' })
  const names = JSON.stringify(tree.root)
  expect(names.includes('"CoveCompat"') && names.includes('"Your name"'), 'tree holds the dialog and its label')
  const entry = (await a11y.findNodes({ scope: 'all', role: 'entry', limit: 1 })).matches[0]
  await a11y.focusNode(entry.id)
  await a11y.setNodeValue(entry.id, 'set through AT-SPI')
  const focused = (await a11y.findNodes({ scope: 'all', role: 'text', states: ['focused'] })).matches
  eq(focused.length === 1 && focused[0].id, entry.id, 'focused entry')
  await a11y.invokeNode(ok.id)
  const finished = await waitFor(
    async () => {
      const c = await sandbox.process.getSessionCommand('dialog', asked.cmdId)
      return c.exitCode === undefined || c.exitCode === null ? null : c
    },
    10000,
    'zenity to exit',
  )
  eq(finished.exitCode, 0, 'zenity exit code')
  const said = await sandbox.process.getSessionCommandLogs('dialog', asked.cmdId)
  eq(said.stdout.trim(), 'set through AT-SPI', "zenity's answer")
  step('accessibility')

  const stopped = await cu.stop()
  expect(!stopped.status.x11vnc.running, 'x11vnc stopped')
  eq((await cu.getStatus()).status, 'inactive', 'status after stop')
  step('stop')
  console.log('DONE')
} catch (e) {
  fail(e.stack || e.message)
} finally {
  if (sandbox) await daytona.delete(sandbox).catch(() => {})
}
