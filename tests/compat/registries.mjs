// Private registries through the SDK's own generated client (@daytona/api-client's DockerRegistryApi; the
// SDK itself has no registry methods): create, list, get, update keeping the password, the push access of
// an organization with no default registry, and delete. No answer may hold a password. Prints one line per
// step; exits non-zero on the first failure. Deletes what it creates.
import { Configuration, DockerRegistryApi } from '@daytona/api-client'
import { expect, fail, step } from './steps.mjs'

const api = new DockerRegistryApi(
  new Configuration({
    basePath: process.env.DAYTONA_API_URL,
    baseOptions: { headers: { Authorization: `Bearer ${process.env.DAYTONA_API_KEY}` } },
  }),
)
const password = `sdk-pw-${process.pid}-secret`
const noPassword = (what, value) =>
  expect(!JSON.stringify(value).includes(password), `${what} holds the password: ${JSON.stringify(value)}`)
let id
try {
  const made = await api.createRegistry({
    name: `sdk-registry-${process.pid}`,
    url: 'https://registry.example.com:5000',
    username: 'robot',
    password,
    project: 'team',
  })
  expect(made.status === 201, `create answered ${made.status}`)
  id = made.data.id
  expect(made.data.url === 'registry.example.com:5000' && made.data.registryType === 'organization',
    `create gave ${JSON.stringify(made.data)}`)
  noPassword('create', made.data)
  step('create')

  const listed = (await api.listRegistries()).data
  expect(listed.some((r) => r.id === id), 'the list lacks the registry')
  noPassword('list', listed)
  const got = (await api.getRegistry(id)).data
  expect(got.project === 'team' && got.username === 'robot', `get gave ${JSON.stringify(got)}`)
  step('list and get')

  const updated = (await api.updateRegistry(id, { name: 'renamed', url: 'registry.example.com:5000', username: 'bot' })).data
  expect(updated.name === 'renamed' && updated.username === 'bot', `update gave ${JSON.stringify(updated)}`)
  noPassword('update', updated)
  step('update')

  // An organization with no default registry gets 404 saying how to make one; with one, its credentials.
  try {
    const access = (await api.getTransientPushAccess()).data
    expect(access.registryId !== id && access.registryUrl && access.username && 'secret' in access,
      `push access gave ${JSON.stringify({ ...access, secret: undefined })}`)
  } catch (e) {
    expect(e.response?.status === 404 && /default registry/.test(e.response.data.message),
      `push access: ${e.response?.status ?? e.message} ${JSON.stringify(e.response?.data)}`)
  }
  step('push access names the default registry')

  try {
    await api.createRegistry({ name: 'x', url: 'https://u:p@registry.example.com', username: 'u', password: 'p' })
    fail('a URL with credentials was accepted')
  } catch (e) {
    expect(e.response?.status === 400, `credentials in the URL: ${e.response?.status}`)
  }
  step('bad url refused')

  const removed = await api.deleteRegistry(id)
  expect(removed.status === 204, `delete answered ${removed.status}`)
  id = undefined
  step('delete')
  console.log('DONE')
} catch (e) {
  fail(`${e.message} ${JSON.stringify(e.response?.data ?? '')}`)
} finally {
  if (id)
    await api.deleteRegistry(id).catch(() => {})
}
