// Run queries through a built site's own search worker, outside the browser.
//
//   node search_harness.mjs WORKER_JS SEARCH_INDEX_JSON LIMIT QUERY...
//
// Prints one JSON array per run: for each query, the first LIMIT result groups in
// the order the search dialog shows them (one group per page, best first), each a
// list of the documents (article, sections) the worker returned.
//
// The worker is loaded unchanged with the globals a Web Worker has (self,
// addEventListener, postMessage, importScripts), and is sent the same two
// messages the page sends (bundle.ts: setupSearchWorker, then the raw query), so
// what runs here is the shipped code, including any patch applied to it.
import { readFileSync } from "node:fs"
import { dirname, resolve } from "node:path"
import vm from "node:vm"

const [workerPath, indexPath, limitArg, ...queries] = process.argv.slice(2)
const limit = Number(limitArg)
if (!workerPath || !indexPath || !(limit > 0)) {
  console.error("usage: search_harness.mjs WORKER_JS SEARCH_INDEX_JSON LIMIT QUERY...")
  process.exit(2)
}

// Scripts run in this realm's global scope, as in a worker
const load = path => vm.runInThisContext(readFileSync(path, "utf8"), { filename: path })

let onMessage, reply
globalThis.self = globalThis
globalThis.addEventListener = (type, fn) => { if (type === "message") onMessage = fn }
globalThis.postMessage = message => reply(message)
// The worker imports the lunr language files as "../lunr/min/…", relative to itself
globalThis.importScripts = (...urls) => urls.forEach(url => load(resolve(dirname(workerPath), url)))

load(workerPath)
if (!onMessage) throw new Error(`${workerPath} registered no message handler`)

const send = data => new Promise(done => { reply = done; onMessage({ data }) })

// Message types (SearchMessageType): 0 SETUP, 1 READY, 2 QUERY, 3 RESULT
const { config, docs } = JSON.parse(readFileSync(indexPath, "utf8"))
const ready = await send({ type: 0, data: { config, docs, options: { suggest: false } } })
if (ready.type !== 1) throw new Error(`worker did not get ready: ${JSON.stringify(ready)}`)

const out = []
for (const query of queries) {
  const { type, data } = await send({ type: 2, data: query })
  if (type !== 3) throw new Error(`unexpected reply to ${query}: type ${type}`)
  // The first `limit` groups (one page's article and sections, best first), as the worker sent
  // them; of each document what the dialog reads, and the hidden field if it leaked.
  out.push(data.items.slice(0, limit).map(group => group.map(
    ({ location, title, text, score, terms, keywords }) => ({ location, title, text, score, terms, keywords }))))
}
process.stdout.write(JSON.stringify(out))
