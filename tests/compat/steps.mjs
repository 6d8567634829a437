// What every SDK script reports with: one "ok <step>" line per step, and the first failure ends the run.
export const step = (name, detail = '') => console.log(`ok ${name}${detail ? ' ' + detail : ''}`)
export const fail = (message) => {
  console.error(`FAILED: ${message}`)
  process.exit(1)
}
export const expect = (cond, message) => cond || fail(message)
// Polls `probe` until it returns something truthy, and returns that; after `ms` it fails, saying
// "timed out waiting for <what>", or what() itself when `what` is a function.
export const waitFor = async (probe, ms, what) => {
  const deadline = Date.now() + ms
  for (;;) {
    const got = await probe()
    if (got) return got
    if (Date.now() > deadline) fail(typeof what === 'function' ? what() : `timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}
