// Moves files through the official Daytona TypeScript SDK, unchanged: 100 MB up and down through the
// toolbox, signed upload and download URLs used with no key, and the error for a missing path. Prints
// one line per step; exits non-zero on the first failure. Deletes what it creates.
import { createHash, randomBytes } from 'node:crypto'
import { Daytona, DaytonaNotFoundError } from '@daytonaio/sdk'
import { expect, fail, step } from './steps.mjs'

const sha = (b) => createHash('sha256').update(b).digest('hex')

const daytona = new Daytona()
let sandbox
try {
  sandbox = await daytona.create()

  const big = randomBytes(100 * 1024 * 1024)
  await sandbox.fs.uploadFile(big, 'big.bin')
  const back = await sandbox.fs.downloadFile('big.bin')
  expect(back.length === big.length, `downloaded ${back.length} bytes, sent ${big.length}`)
  expect(sha(back) === sha(big), 'the 100 MB file changed on the way')
  step('100 MB round trip')

  // Files outlive a stop and a start.
  await sandbox.stop()
  await sandbox.start()
  const again = await sandbox.fs.downloadFile('big.bin')
  expect(sha(again) === sha(big), 'the file changed across stop and start')
  step('stop and start keep files')

  const home = await sandbox.getUserHomeDir()
  const uploadUrl = await sandbox.uploadUrl(`${home}/signed.txt`)
  const form = new FormData()
  form.append('file', new Blob(['signed upload']), 'signed.txt')
  let res = await fetch(uploadUrl, { method: 'POST', body: form })
  expect(res.ok, `signed upload answered ${res.status}: ${await res.text()}`)
  const downloadUrl = await sandbox.downloadUrl(`${home}/signed.txt`, 60)
  res = await fetch(downloadUrl)
  expect(res.ok, `signed download answered ${res.status}`)
  expect((await res.text()) === 'signed upload', 'signed download returned other bytes')
  await sandbox.rotateSigningKey()
  res = await fetch(downloadUrl)
  expect(res.status === 401, `a URL signed with a rotated key answered ${res.status}`)
  step('signed URLs')

  try {
    await sandbox.fs.downloadFile('/no/such/file')
    fail('downloading a missing file succeeded')
  } catch (e) {
    expect(e instanceof DaytonaNotFoundError || /not found|no such/i.test(String(e.message)),
      `missing file: ${e.constructor.name} ${e.message}`)
  }
  step('missing path')
  console.log('DONE')
} catch (e) {
  fail(`${e.constructor.name}: ${e.message}`)
} finally {
  if (sandbox) await sandbox.delete().catch(() => {})
}
