// Drives pgedge serve with the official ollama JavaScript client; server/ollama_js_test.go
// runs it as: node test.mjs URL IMAGE and checks the JSON it prints.
import { readFileSync } from 'node:fs';
import { Ollama } from 'ollama';

const [host, imagePath] = process.argv.slice(2);
const ollama = new Ollama({ host });
const image = new Uint8Array(readFileSync(imagePath));
const out = {};

out.version = await ollama.version();
out.list = await ollama.list();
out.show = await ollama.show({ model: 'pg2-tiny' });
out.ps = await ollama.ps();

out.generate = await ollama.generate({
  model: 'pg2-tiny', prompt: 'caption en', images: [image], options: { num_predict: 12 },
});

let text = '';
let parts = 0;
let last = null;
for await (const part of await ollama.generate({
  model: 'pg2-tiny', prompt: 'caption en', images: [image], stream: true, options: { num_predict: 12 },
})) {
  text += part.response;
  parts++;
  last = part;
}
out.generateStream = { text, parts, last };

out.chat = await ollama.chat({
  model: 'pg2-tiny',
  messages: [{ role: 'user', content: 'caption en', images: [image] }],
  options: { num_predict: 12 },
});

text = '';
parts = 0;
for await (const part of await ollama.chat({
  model: 'pg2-tiny', stream: true,
  messages: [{ role: 'user', content: 'caption en', images: [image] }],
  options: { num_predict: 12 },
})) {
  text += part.message.content;
  parts++;
  last = part;
}
out.chatStream = { text, parts, last };

// Abort a long stream after its first part: the server must stop generating.
const long = await ollama.generate({
  model: 'pg2-tiny', prompt: 'caption en', stream: true, options: { num_predict: 8000 },
});
let aborted = 0;
try {
  for await (const part of long) {
    aborted++;
    long.abort();
  }
} catch (e) {
  out.abortError = e.name;
}
out.abortedParts = aborted;

try {
  await ollama.generate({ model: 'pg2-tiny', prompt: 'caption en', options: { num_predict: 'many' } });
  out.badRequest = 'no error';
} catch (e) {
  out.badRequest = { name: e.name, error: e.error, status_code: e.status_code };
}

process.stdout.write(JSON.stringify(out));
