// Plain Node's side of every comparison: import the handler and call it once, as a script.
// Prints the handler's result as JSON, like the tool's response.
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const { handler } = await import(pathToFileURL(resolve(process.argv[2])).href);
const result = await handler({}, { getRemainingTimeInMillis: () => 60_000 });
process.stdout.write(JSON.stringify(result) + '\n');
