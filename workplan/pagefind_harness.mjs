// Run queries through a chunked site's own search worker and Pagefind index, outside the browser
// (the twin of search_harness.mjs for sites above extra.search_chunked_above).
//
//   node pagefind_harness.mjs WORKER_JS LIMIT QUERY...
//
// Prints, like search_harness.mjs, one JSON array: for each query the first LIMIT result groups as
// the worker sent them to the page. On stderr: the bytes the worker fetched (as a browser would).
// With HARNESS_BURST=1 the queries are sent at once, as keystrokes send them, and the array holds
// every answer the worker sent (until it has been quiet for QUIET_MS).
// The worker is the shipped file, loaded with a Web Worker's globals; `fetch` reads the site's
// files from disk, and `import()` (which a vm script cannot call) goes through workplanImport.
import { readFileSync, copyFileSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import vm from "node:vm"

const [workerPath, limitArg, ...queries] = process.argv.slice(2)
const limit = Number(limitArg)
if (!workerPath || !(limit > 0)) {
  console.error("usage: pagefind_harness.mjs WORKER_JS LIMIT QUERY...")
  process.exit(2)
}

let bytes = 0
globalThis.self = globalThis
globalThis.location = pathToFileURL(workerPath)
globalThis.fetch = async input => {
  const buf = readFileSync(fileURLToPath(String(input?.url ?? input).split("?")[0]))
  bytes += buf.length
  return new Response(buf, { status: 200 })
}
// pagefind.js is an ES module named .js outside a "type": "module" package: import a copy as .mjs
const scratch = mkdtempSync(join(tmpdir(), "pagefind-harness-"))
globalThis.workplanImport = async url => {
  const path = fileURLToPath(url)
  bytes += readFileSync(path).length
  copyFileSync(path, join(scratch, "pagefind.mjs"))
  return import(pathToFileURL(join(scratch, "pagefind.mjs")).href)
}
let onMessage, reply
globalThis.addEventListener = (type, fn) => { if (type === "message") onMessage = fn }
globalThis.postMessage = message => reply(message)

try {
  vm.runInThisContext(readFileSync(workerPath, "utf8"), { filename: workerPath })
  if (!onMessage) throw new Error(`${workerPath} registered no message handler`)
  const send = data => new Promise(done => { reply = done; onMessage({ data }) })

  const ready = await send({ type: 0, data: { config: {}, docs: [], options: { suggest: false } } })
  if (ready.type !== 1) throw new Error(`worker did not get ready: ${JSON.stringify(ready)}`)
  const out = []
  if (process.env.HARNESS_BURST === "1") {
    const QUIET_MS = 2000
    let last = Date.now()
    reply = ({ data }) => { out.push(data.items.slice(0, limit)); last = Date.now() }
    for (const query of queries)
      onMessage({ data: { type: 2, data: query } })
    while (!out.length || Date.now() - last < QUIET_MS)
      await new Promise(done => setTimeout(done, 100))
    queries.length = 0
  }
  for (const query of queries) {
    const { type, data } = await send({ type: 2, data: query })
    if (type !== 3) throw new Error(`unexpected reply to ${query}: type ${type}`)
    out.push(data.items.slice(0, limit))
  }
  process.stdout.write(JSON.stringify(out))
  process.stderr.write(`fetched ${bytes} bytes\n`)
} finally {
  rmSync(scratch, { recursive: true, force: true })
}
