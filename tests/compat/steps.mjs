// What every SDK script reports with: one "ok <step>" line per step, and the first failure ends the run.
export const step = (name, detail = '') => console.log(`ok ${name}${detail ? ' ' + detail : ''}`)
export const fail = (message) => {
  console.error(`FAILED: ${message}`)
  process.exit(1)
}
export const expect = (cond, message) => cond || fail(message)
